// Plain-text Worker variables per stage. The Worker validates them once at startup (src/config, src/session/limits).
export interface WorkerVarsInput {
  stage: string;
  version: string;
  local: boolean;
}

/**
 * Per-session limits enforced inside SessionDO (and by the routes in front of it). Far below
 * SQLite's 2 MB row limit on purpose: a message is a chat turn, not a file upload.
 */
export const SESSION_LIMIT_DEFAULTS = {
  SESSION_MAX_CONTENT_BYTES: "32768",
  SESSION_MAX_METADATA_BYTES: "8192",
  SESSION_MAX_PAGE_SIZE: "200",
  SESSION_MAX_TITLE_LENGTH: "200",
  /** How long changes gather in a session before one D1 write refreshes its index row. */
  SESSION_INDEX_FLUSH_MS: "5000",
};

export function workerVars({ stage, version }: WorkerVarsInput) {
  return {
    STAGE: stage,
    VERSION: version,
    ...SESSION_LIMIT_DEFAULTS,
  };
}

/** The commit in CI, otherwise the package version. */
export function releaseVersion(env: Record<string, string | undefined>, packageVersion: string): string {
  return env.GITHUB_SHA ? env.GITHUB_SHA.slice(0, 12) : packageVersion;
}
