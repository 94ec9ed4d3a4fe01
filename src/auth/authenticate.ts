// Bearer token → Principal: the in-isolate cache first, then one D1 lookup or the identity provider.
import type { Config } from "../config/config.ts";
import type { Env } from "../config/env.ts";
import { log } from "../shared/log.ts";
import { credentialCache, TOUCH_INTERVAL_MS } from "./credential-cache.ts";
import { findPrincipalByHash, touchCredential } from "./credentials.ts";
import { looksLikeJwt, principalFromJwt } from "./identity-provider.ts";
import type { Principal } from "./principal.ts";
import { hashToken, isOpaqueToken } from "./tokens.ts";

/** Anything longer is not a token we issue or a JWT we would accept; refuse it before hashing. */
const MAX_TOKEN_LENGTH = 8192;
const BEARER = /^Bearer +([^\s]+) *$/i;

export function bearerToken(header: string | undefined): string | null {
  if (!header || header.length > MAX_TOKEN_LENGTH) return null;
  return BEARER.exec(header)?.[1] ?? null;
}

async function load(env: Env, config: Config, token: string, hash: string, now: number) {
  if (isOpaqueToken(token)) return findPrincipalByHash(env.DB, hash, now);
  if (!config.IDP_ISSUER || !config.IDP_JWKS_URL || !config.IDP_AUDIENCE || !looksLikeJwt(token)) return null;
  const idp = { issuer: config.IDP_ISSUER, jwksUrl: config.IDP_JWKS_URL, audience: config.IDP_AUDIENCE };
  const principal = await principalFromJwt(env.DB, idp, token, hash, now);
  return principal && { principal, lastUsedAt: null };
}

/**
 * Resolves a token to its principal, or null. A hit costs one SHA-256 and a Map lookup; a miss one
 * indexed D1 read. `last_used_at` is recorded in the background at most once a minute per token.
 */
export async function authenticate(
  env: Env,
  config: Config,
  ctx: { waitUntil(promise: Promise<unknown>): void },
  token: string,
  now = Date.now(),
): Promise<Principal | null> {
  const hash = await hashToken(token);
  let principal = credentialCache.get(hash, now);
  if (!principal) {
    const loaded = await load(env, config, token, hash, now);
    if (!loaded) return null;
    principal = loaded.principal;
    credentialCache.set(hash, principal, loaded.lastUsedAt, now);
  }
  const credentialId = principal.credential.id;
  if (credentialId && credentialCache.claimTouch(hash, now)) {
    const touch = touchCredential(env.DB, credentialId, now, TOUCH_INTERVAL_MS).catch((error: unknown) =>
      log("warn", "last_used_at_not_recorded", { credentialId, error: String(error) }),
    );
    ctx.waitUntil(touch);
  }
  return principal;
}
