// The auth middleware: every /v1 route but signup and login needs a live token; last_used_at is recorded lazily.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { CACHE_TTL_MS } from "../../../src/auth/credential-cache.ts";
import { bearer, call, signUpUser } from "../helpers/auth.ts";

async function expectUnauthorized(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe("Bearer");
  expect(res.headers.get("x-request-id")).toBeTruthy();
  expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
}

async function lastUsedAt(userId: string): Promise<number | null> {
  const row = await env.DB.prepare("SELECT last_used_at FROM credentials WHERE user_id = ?").bind(userId).first();
  return (row?.last_used_at as number | null) ?? null;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("condition never met");
}

describe("bearer authentication", () => {
  it("refuses a missing or malformed Authorization header", async () => {
    await expectUnauthorized(await call("/v1/me"));
    await expectUnauthorized(await call("/v1/me", { headers: { authorization: "Basic dXNlcjpwYXNz" } }));
    await expectUnauthorized(await call("/v1/me", { headers: { authorization: "Bearer" } }));
    await expectUnauthorized(await call("/v1/me", { headers: { authorization: "Bearer a b" } }));
    await expectUnauthorized(await call("/v1/me", { headers: bearer("x".repeat(9000)) }));
  });

  it("refuses unknown tokens of the right shape and of any other", async () => {
    await expectUnauthorized(await call("/v1/me", { headers: bearer(`sat_${"A".repeat(43)}`) }));
    await expectUnauthorized(await call("/v1/me", { headers: bearer(`sak_${"B".repeat(43)}`) }));
    await expectUnauthorized(await call("/v1/me", { headers: bearer("eyJ.not.ajwt") }));
  });

  it("refuses an expired token", async () => {
    const user = await signUpUser();
    await env.DB.prepare("UPDATE credentials SET expires_at = ?2 WHERE user_id = ?1")
      .bind(user.id, Date.now() - 1000)
      .run();
    await expectUnauthorized(await call("/v1/me", { headers: bearer(user.token) }));
  });

  it("refuses a token revoked in D1 once the cached verification is gone", async () => {
    const user = await signUpUser();
    await env.DB.prepare("UPDATE credentials SET revoked_at = ?2 WHERE user_id = ?1").bind(user.id, Date.now()).run();
    await expectUnauthorized(await call("/v1/me", { headers: bearer(user.token) }));
  });

  it("serves a cached verification without D1; a revocation made elsewhere applies within CACHE_TTL_MS", async () => {
    const user = await signUpUser();
    expect((await call("/v1/me", { headers: bearer(user.token) })).status).toBe(200);
    // As if another isolate revoked it: this isolate's cache does not know.
    await env.DB.prepare("UPDATE credentials SET revoked_at = ?2 WHERE user_id = ?1").bind(user.id, Date.now()).run();
    expect((await call("/v1/me", { headers: bearer(user.token) })).status).toBe(200);

    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + CACHE_TTL_MS);
      await expectUnauthorized(await call("/v1/me", { headers: bearer(user.token) }));
    } finally {
      vi.useRealTimers();
    }
  });

  it("authenticates unknown /v1 paths before routing, so nothing is revealed", async () => {
    await expectUnauthorized(await call("/v1/does-not-exist"));
    const user = await signUpUser();
    const res = await call("/v1/does-not-exist", { headers: bearer(user.token) });
    expect(res.status).toBe(404);
  });

  it("answers 405 with Allow for a wrong method once authenticated", async () => {
    const user = await signUpUser();
    const res = await call("/v1/me", { method: "DELETE", headers: bearer(user.token) });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain("GET");
    expect(await res.json()).toMatchObject({ error: { code: "method_not_allowed" } });
  });

  it("records last_used_at after the response, at most once a minute per token", async () => {
    const user = await signUpUser();
    expect(await lastUsedAt(user.id)).toBeNull();
    expect((await call("/v1/me", { headers: bearer(user.token) })).status).toBe(200);
    const first = await waitFor(
      () => lastUsedAt(user.id),
      (value) => value !== null,
    );
    expect(first).toBeGreaterThan(Date.now() - 60_000);

    for (let i = 0; i < 3; i++) expect((await call("/v1/me", { headers: bearer(user.token) })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await lastUsedAt(user.id)).toBe(first);
  });
});
