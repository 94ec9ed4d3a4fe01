// The in-isolate cache of verified bearer tokens, keyed by the token's SHA-256: the hot path's D1 bypass.
import type { Principal } from "./principal.ts";

/**
 * How stale a cached verification may be. A token revoked through another isolate keeps working
 * here for at most this long; revoking through this isolate evicts at once. Expiry is exact: it is
 * checked against the credential's own `expires_at` on every hit.
 */
export const CACHE_TTL_MS = 30_000;
/** Bounds memory (~1 KB an entry): an isolate serving more live tokens than this simply re-reads D1. */
export const CACHE_MAX_ENTRIES = 10_000;
/** `last_used_at` is written at most this often per token and isolate. */
export const TOUCH_INTERVAL_MS = 60_000;

interface Entry {
  principal: Principal;
  cachedAt: number;
  touchedAt: number;
}

export class CredentialCache {
  readonly #entries = new Map<string, Entry>();
  readonly ttlMs: number;
  readonly maxEntries: number;

  constructor(ttlMs = CACHE_TTL_MS, maxEntries = CACHE_MAX_ENTRIES) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }

  get(hash: string, now: number): Principal | undefined {
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    const expired = entry.principal.expiresAt !== null && entry.principal.expiresAt <= now;
    if (expired || now - entry.cachedAt >= this.ttlMs) {
      this.#entries.delete(hash);
      return undefined;
    }
    return entry.principal;
  }

  /** `lastUsedAt` is what D1 holds, so a fresh isolate does not rewrite a recent value. */
  set(hash: string, principal: Principal, lastUsedAt: number | null, now: number): void {
    this.#entries.delete(hash);
    // Maps iterate in insertion order: the first key is the oldest entry.
    while (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(hash, { principal, cachedAt: now, touchedAt: lastUsedAt ?? 0 });
  }

  delete(hash: string): void {
    this.#entries.delete(hash);
  }

  /** True at most once per TOUCH_INTERVAL_MS per token: the caller then records the use in D1. */
  claimTouch(hash: string, now: number): boolean {
    const entry = this.#entries.get(hash);
    if (!entry || now - entry.touchedAt < TOUCH_INTERVAL_MS) return false;
    entry.touchedAt = now;
    return true;
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** One per isolate, shared by every request it serves. */
export const credentialCache = new CredentialCache();
