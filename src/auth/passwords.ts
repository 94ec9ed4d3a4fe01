// Password hashing: PBKDF2-SHA256 through WebCrypto, keyed by a Worker secret (the pepper), stored self-describing.
import { fromBase64Url, timingSafeEqual, toBase64Url } from "../shared/bytes.ts";
import { type Pepper, pepperOf, withPepper } from "./pepper.ts";

/** The most WebCrypto on Workers allows; stored in every hash so it can be raised later. */
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Unpeppered hashes made before PASSWORD_PEPPER existed: still accepted, replaced at the next login. */
const LEGACY_SCHEME = "pbkdf2-sha256";
const SCHEME = "pbkdf2-sha256-pepper";

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

async function derive(password: string, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

/**
 * `pbkdf2-sha256-pepper$<pepper id>$<iterations>$<salt>$<hash>`, salt and hash in base64url. The hash is
 * HMAC-SHA-256(pepper, PBKDF2(password, salt)): a D1 dump without the Worker secret cannot be cracked offline.
 * `peppers` is PASSWORD_PEPPER parsed: the first one hashes.
 */
export async function hashPassword(password: string, peppers: readonly string[]): Promise<string> {
  const pepper = await currentPepper(peppers);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await withPepper(pepper, await derive(password, salt, PBKDF2_ITERATIONS, HASH_BYTES));
  return [SCHEME, pepper.id, PBKDF2_ITERATIONS, toBase64Url(salt), toBase64Url(hash)].join("$");
}

function currentPepper(peppers: readonly string[]): Promise<Pepper> {
  const [current] = peppers;
  if (current === undefined) throw new Error("PASSWORD_PEPPER holds no pepper.");
  return pepperOf(current);
}

interface ParsedHash {
  /** The pepper id, or null for a legacy unpeppered hash. */
  pepperId: string | null;
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split("$");
  const scheme = parts.shift();
  const pepperId = scheme === SCHEME ? (parts.shift() ?? "") : scheme === LEGACY_SCHEME ? null : undefined;
  const [iterations, salt, hash, ...rest] = parts;
  if (pepperId === undefined || pepperId === "" || rest.length > 0 || !iterations || !salt || !hash) return null;
  const count = Number(iterations);
  if (!Number.isInteger(count) || count < 1 || count > PBKDF2_ITERATIONS) return null;
  try {
    return { pepperId, iterations: count, salt: fromBase64Url(salt), hash: fromBase64Url(hash) };
  } catch {
    return null;
  }
}

/**
 * A stored hash no password matches, used when the account does not exist so that an unknown
 * email costs the same PBKDF2 work as a wrong password.
 */
export const UNMATCHABLE_HASH = `${LEGACY_SCHEME}$${PBKDF2_ITERATIONS}$${"A".repeat(22)}$${"A".repeat(43)}`;
const UNMATCHABLE = parseHash(UNMATCHABLE_HASH) as ParsedHash;

export interface PasswordCheck {
  ok: boolean;
  /** The hash was made without the current pepper or with weaker parameters than today's: store a fresh one. */
  needsRehash: boolean;
  /**
   * The hash names a pepper PASSWORD_PEPPER no longer lists: nobody can sign in with it until that pepper is
   * listed again (docs/configuration.md, "Rotating the pepper"). The caller logs it; the answer stays a plain refusal.
   */
  unknownPepper?: true;
}

/** Always does the full PBKDF2 work and one HMAC, even for a missing or malformed hash, so timing reveals nothing. */
export async function verifyPassword(
  password: string,
  stored: string | null,
  peppers: readonly string[],
): Promise<PasswordCheck> {
  const current = await currentPepper(peppers);
  const parsed = stored === null || stored === UNMATCHABLE_HASH ? null : parseHash(stored);
  const known = await Promise.all(peppers.map(pepperOf));
  const pepper = parsed?.pepperId ? known.find((candidate) => candidate.id === parsed.pepperId) : undefined;
  const unknownPepper = Boolean(parsed?.pepperId) && pepper === undefined;
  const own = unknownPepper ? null : parsed;
  const target = own ?? UNMATCHABLE;
  const derived = await derive(password, target.salt, target.iterations, target.hash.length);
  const peppered = await withPepper(pepper ?? current, derived);
  const candidate = own?.pepperId ? peppered : derived;
  const ok = timingSafeEqual(candidate, target.hash) && own !== null;
  const stale = own !== null && (pepper !== current || own.iterations < PBKDF2_ITERATIONS);
  return { ok, needsRehash: ok && stale, ...(unknownPepper ? { unknownPepper: true as const } : {}) };
}
