// The names of the four values a deploy needs, defined once: the deploy's own checks and `npm run setup` read them.
/** Cloudflare: which account, and the token that manages it. */
export const CLOUDFLARE_CREDENTIALS = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"] as const;
/** alchemy's shared state store (CloudflareStateStore) and the encryption of secrets inside it. */
export const STATE_STORE_SECRETS = ["ALCHEMY_STATE_TOKEN", "ALCHEMY_PASSWORD"] as const;
/** Everything a deploy from CI or a laptop reads from its environment; GitHub keeps them as Actions secrets. */
export const DEPLOY_SECRETS = [...CLOUDFLARE_CREDENTIALS, ...STATE_STORE_SECRETS] as const;
