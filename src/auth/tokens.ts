// Bearer secrets: 32 random bytes in base64url behind a prefix naming their kind. Shown once, stored hashed.
import { sha256Hex, toBase64Url } from "../shared/bytes.ts";

export type CredentialKind = "session" | "api_key";

/** Recognisable prefixes, so a leaked token is easy to spot and to scan for. */
export const TOKEN_PREFIXES: Record<CredentialKind, string> = { session: "sat_", api_key: "sak_" };

const SECRET_BYTES = 32;
/** Enough to tell keys apart in a list, far too little to guess the rest from. */
const DISPLAY_PREFIX_LENGTH = 12;
const TOKEN_PATTERN = /^(sat|sak)_[A-Za-z0-9_-]{43}$/;

export interface IssuedToken {
  token: string;
  hash: string;
  displayPrefix: string;
}

export async function issueToken(kind: CredentialKind): Promise<IssuedToken> {
  const token = TOKEN_PREFIXES[kind] + toBase64Url(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
  return { token, hash: await hashToken(token), displayPrefix: token.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/** The only form a token is ever stored or cached in. */
export function hashToken(token: string): Promise<string> {
  return sha256Hex(token);
}

/** Shape check before any lookup: junk never reaches the cache or D1. */
export function isOpaqueToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}
