// Cloudflare credentials: local dev needs none, a deploy needs real ones. Never the other way round.
import { CLOUDFLARE_CREDENTIALS, PREVIEW_SECRET_PREFIX } from "./deploy-secrets.ts";

export const PLACEHOLDER_API_TOKEN = "local-dev-no-cloudflare-account";
export const PLACEHOLDER_ACCOUNT_ID = "0".repeat(32);
/** The discard port on loopback: a call that slips through fails locally instead of reaching Cloudflare. */
export const BLACKHOLE_API_URL = "http://127.0.0.1:9/client/v4";

type Env = Record<string, string | undefined>;

function hasCredentials(env: Env): boolean {
  return Boolean(env.CLOUDFLARE_API_TOKEN || env.CLOUDFLARE_API_KEY);
}

/**
 * alchemy builds a Cloudflare API client even in local dev (alchemy issue #887). Give it
 * placeholders pointing at a dead loopback address so a new user never meets a login prompt.
 */
export function useLocalCredentials(env: Env): void {
  if (hasCredentials(env)) return;
  env.CLOUDFLARE_API_TOKEN = PLACEHOLDER_API_TOKEN;
  env.CLOUDFLARE_ACCOUNT_ID = PLACEHOLDER_ACCOUNT_ID;
  env.CLOUDFLARE_BASE_URL = BLACKHOLE_API_URL;
}

/** A deploy or destroy must run with real credentials, named clearly when missing. */
export function assertDeployCredentials(env: Env): void {
  const missing = CLOUDFLARE_CREDENTIALS.filter((name) => !env[name]);
  if (missing.length > 0) {
    // In Actions the obvious fix (a repository secret of that name) would hand production's token to every branch.
    const where =
      env.GITHUB_ACTIONS === "true"
        ? ` In GitHub Actions, previews read them from the ${PREVIEW_SECRET_PREFIX}* repository secrets and staging and prod from their environments' secrets; never make production's values repository secrets (docs/credentials.md).`
        : "";
    throw new Error(`Deploying needs ${missing.join(" and ")} (see docs/deploying.md).${where}`);
  }
  if (env.CLOUDFLARE_API_TOKEN === PLACEHOLDER_API_TOKEN || env.CLOUDFLARE_ACCOUNT_ID === PLACEHOLDER_ACCOUNT_ID) {
    throw new Error("Refusing to deploy with the local-dev placeholder credentials.");
  }
  if (env.CLOUDFLARE_BASE_URL === BLACKHOLE_API_URL) {
    throw new Error("CLOUDFLARE_BASE_URL points at the local-dev blackhole; unset it to deploy.");
  }
}
