// Password hashing: PBKDF2-SHA256 through WebCrypto, stored as a self-describing string.
import { fromBase64Url, timingSafeEqual, toBase64Url } from "./bytes.ts";

/** The most WebCrypto on Workers allows; stored in every hash so it can be raised later. */
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const SCHEME = "pbkdf2-sha256";

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

async function derive(password: string, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>`, salt and hash in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, PBKDF2_ITERATIONS, HASH_BYTES);
  return [SCHEME, PBKDF2_ITERATIONS, toBase64Url(salt), toBase64Url(hash)].join("$");
}

interface ParsedHash {
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

function parseHash(stored: string): ParsedHash | null {
  const [scheme, iterations, salt, hash, ...rest] = stored.split("$");
  if (scheme !== SCHEME || rest.length > 0 || !iterations || !salt || !hash) return null;
  const count = Number(iterations);
  if (!Number.isInteger(count) || count < 1 || count > PBKDF2_ITERATIONS) return null;
  try {
    return { iterations: count, salt: fromBase64Url(salt), hash: fromBase64Url(hash) };
  } catch {
    return null;
  }
}

/**
 * A stored hash no password matches, used when the account does not exist so that an unknown
 * email costs the same PBKDF2 work as a wrong password.
 */
export const UNMATCHABLE_HASH = `${SCHEME}$${PBKDF2_ITERATIONS}$${"A".repeat(22)}$${"A".repeat(43)}`;
const UNMATCHABLE = parseHash(UNMATCHABLE_HASH) as ParsedHash;

export interface PasswordCheck {
  ok: boolean;
  /** The hash was made with weaker parameters than today's: store a fresh one. */
  needsRehash: boolean;
}

/** Always does the full PBKDF2 work, even for a missing or malformed hash, so timing reveals nothing. */
export async function verifyPassword(password: string, stored: string | null): Promise<PasswordCheck> {
  const own = stored === null || stored === UNMATCHABLE_HASH ? null : parseHash(stored);
  const target = own ?? UNMATCHABLE;
  const candidate = await derive(password, target.salt, target.iterations, target.hash.length);
  const ok = timingSafeEqual(candidate, target.hash) && own !== null;
  return { ok, needsRehash: ok && target.iterations < PBKDF2_ITERATIONS };
}
