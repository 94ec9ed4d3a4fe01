// The values a deploy needs and where GitHub keeps each, defined once: the workflows' invariant tests,
// the deploy's own checks and `npm run setup` read them (docs/deploying.md, docs/credentials.md).

/** Cloudflare: which account, and the token that manages it. */
export const CLOUDFLARE_CREDENTIALS = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"] as const;
/** alchemy's shared state store (CloudflareStateStore) and the encryption of secrets inside it. */
export const STATE_STORE_SECRETS = ["ALCHEMY_STATE_TOKEN", "ALCHEMY_PASSWORD"] as const;

/**
 * The Worker's own secrets (secret_text bindings), one value per set of credentials: a deploy refuses to run
 * without them (infra/worker-secrets.ts; docs/configuration.md, "Secrets").
 */
export const WORKER_SECRETS = ["PASSWORD_PEPPER"] as const;
export type WorkerSecret = (typeof WORKER_SECRETS)[number];

/** What alchemy and the delivery scripts read from the process environment when they act on a stage. */
export const DEPLOY_VARIABLES = [
  "CLOUDFLARE_API_TOKEN",
  "CLOUDFLARE_ACCOUNT_ID",
  "ALCHEMY_PASSWORD",
  "ALCHEMY_STATE_TOKEN",
  "PASSWORD_PEPPER",
] as const satisfies readonly (
  | (typeof CLOUDFLARE_CREDENTIALS)[number]
  | (typeof STATE_STORE_SECRETS)[number]
  | WorkerSecret
)[];

export type DeployVariable = (typeof DEPLOY_VARIABLES)[number];

/**
 * The GitHub environments whose secrets are named as the variables themselves. Both are restricted to
 * the default branch (Deployment branches), so a branch's code can never enter them and read those
 * secrets; they must never also exist as repository secrets, which every branch can read.
 */
export const RELEASE_ENVIRONMENTS = ["production", "staging"] as const;

/**
 * Previews, teardown and the sweeper run for any branch, so they read repository secrets with this
 * prefix: credentials that must only reach preview resources (ideally a second Cloudflare account).
 */
export const PREVIEW_SECRET_PREFIX = "PREVIEW_";

export function previewSecret(variable: DeployVariable): string {
  return `${PREVIEW_SECRET_PREFIX}${variable}`;
}
