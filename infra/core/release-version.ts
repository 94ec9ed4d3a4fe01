// The release a deploy gives the Worker (VERSION, reported by /health): imports nothing, so any script may read it.

/** The commit in CI, otherwise the package version. */
export function releaseVersion(env: Readonly<Record<string, string | undefined>>, packageVersion: string): string {
  // COMMIT_SHA: what the deploy workflow checked out when GITHUB_SHA is a pull request's merge commit.
  const commit = env.COMMIT_SHA || env.GITHUB_SHA;
  return commit ? commit.slice(0, 12) : packageVersion;
}
