// Plain-text Worker variables per stage. The Worker validates them once at startup (src/config).
export interface WorkerVarsInput {
  stage: string;
  version: string;
  local: boolean;
}

export function workerVars({ stage, version }: WorkerVarsInput) {
  return {
    STAGE: stage,
    VERSION: version,
  };
}

/** The commit in CI, otherwise the package version. */
export function releaseVersion(env: Record<string, string | undefined>, packageVersion: string): string {
  return env.GITHUB_SHA ? env.GITHUB_SHA.slice(0, 12) : packageVersion;
}
