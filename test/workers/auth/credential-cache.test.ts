// The token cache: a bounded staleness for revocation, exact expiry, a size bound, and throttled touches.
import { describe, expect, it } from "vitest";
import { CACHE_TTL_MS, CredentialCache, TOUCH_INTERVAL_MS } from "../../../src/auth/credential-cache.ts";
import type { Principal } from "../../../src/auth/principal.ts";

const principal = (expiresAt: number | null = null): Principal => ({
  user: { id: "u1", email: "u1@example.com", name: null },
  credential: { kind: "session", id: "c1", hash: "h" },
  expiresAt,
});

describe("CredentialCache", () => {
  it("serves an entry for at most CACHE_TTL_MS", () => {
    const cache = new CredentialCache();
    cache.set("h", principal(), null, 1_000);
    expect(cache.get("h", 1_000 + CACHE_TTL_MS - 1)).toBeDefined();
    expect(cache.get("h", 1_000 + CACHE_TTL_MS)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("never serves a credential past its own expiry", () => {
    const cache = new CredentialCache();
    cache.set("h", principal(5_000), null, 1_000);
    expect(cache.get("h", 4_999)).toBeDefined();
    expect(cache.get("h", 5_000)).toBeUndefined();
  });

  it("forgets an evicted token at once", () => {
    const cache = new CredentialCache();
    cache.set("h", principal(), null, 0);
    cache.delete("h");
    expect(cache.get("h", 1)).toBeUndefined();
  });

  it("stays within its size bound, dropping the oldest entries", () => {
    const cache = new CredentialCache(CACHE_TTL_MS, 3);
    for (const hash of ["a", "b", "c", "d"]) cache.set(hash, principal(), null, 0);
    expect(cache.size).toBe(3);
    expect(cache.get("a", 1)).toBeUndefined();
    expect(cache.get("d", 1)).toBeDefined();
  });

  it("claims a last_used_at write at most once per TOUCH_INTERVAL_MS", () => {
    const cache = new CredentialCache();
    const now = Date.now();
    cache.set("fresh", principal(), null, now);
    expect(cache.claimTouch("fresh", now)).toBe(true);
    expect(cache.claimTouch("fresh", now + TOUCH_INTERVAL_MS - 1)).toBe(false);
    expect(cache.claimTouch("fresh", now + TOUCH_INTERVAL_MS)).toBe(true);

    // D1's last_used_at counts: a recent use recorded by another isolate is not rewritten.
    cache.set("recent", principal(), now - 1_000, now);
    expect(cache.claimTouch("recent", now)).toBe(false);
    expect(cache.claimTouch("recent", now - 1_000 + TOUCH_INTERVAL_MS)).toBe(true);
    expect(cache.claimTouch("unknown", now)).toBe(false);
  });
});
