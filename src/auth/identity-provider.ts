// Bring your own identity provider: RS256/ES256 JWTs checked against the provider's JWKS, mapped to a user.
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";
import { z } from "zod";
import { apiError } from "../http/errors.ts";
import { log } from "../shared/log.ts";
import type { Principal } from "./principal.ts";
import { findOrCreateFederatedUser } from "./users.ts";

export interface IdentityProvider {
  issuer: string;
  jwksUrl: string;
  audience: string;
}

const ALGORITHMS = ["RS256", "ES256"];
/** Tolerated clock difference between the provider and Cloudflare. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** jose caches keys per set (10 min, refetching early for an unknown `kid`): keep one set per URL per isolate. */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(url: string) {
  let set = keySets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url));
    keySets.set(url, set);
  }
  return set;
}

export function looksLikeJwt(token: string): boolean {
  return token.split(".").length === 3;
}

/** The verified claims, or null for a bad signature, wrong issuer or audience, expiry or any malformation. */
async function verify(idp: IdentityProvider, token: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, keySet(idp.jwksUrl), {
      issuer: idp.issuer,
      audience: idp.audience,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ["sub", "exp"],
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}

const EMAIL = z.email();

const stringClaim = (payload: JWTPayload, name: string) =>
  typeof payload[name] === "string" && payload[name] !== "" ? (payload[name] as string) : null;

const emailNotVerified = () =>
  apiError("email_not_verified", {
    message:
      "An account with this email exists, and your identity provider does not confirm you own the address (email_verified), so it was not linked. Verify the email at your provider, or sign in with the account's password.",
  });
const identityConflict = () => apiError("identity_conflict");

/**
 * A user needs an email, so tokens without an `email` claim are refused (Cloudflare Access sends
 * one; with Auth0 or Okta, add it to the access token). Linking to an existing password account
 * needs `email_verified: true` exactly; anything else (absent, "true", 1, null) is a refusal.
 */
export async function principalFromJwt(
  db: D1Database,
  idp: IdentityProvider,
  token: string,
  hash: string,
  now: number,
): Promise<Principal | null> {
  const payload = await verify(idp, token);
  const email = payload && stringClaim(payload, "email");
  if (!payload?.sub || !email || !EMAIL.safeParse(email).success || payload.exp === undefined) return null;
  const found = await findOrCreateFederatedUser(
    db,
    {
      subject: `${idp.issuer}|${payload.sub}`,
      email,
      name: stringClaim(payload, "name"),
      emailVerified: payload.email_verified === true,
    },
    now,
  );
  if (!found.ok) throw found.reason === "unverified" ? emailNotVerified() : identityConflict();
  if (found.linked) {
    log("info", "identity_linked", { userId: found.user.id, revokedCredentials: found.revoked.length });
  }
  return { user: found.user, credential: { kind: "idp", id: null, hash }, expiresAt: payload.exp * 1000 };
}
