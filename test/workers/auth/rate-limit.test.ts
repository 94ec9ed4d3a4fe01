// Login brute-force limits: per email and per client IP, 429 with Retry-After, through LoginLimiterDO.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { LoginLimiterDO } from "../../../src/auth/login-limiter-do.ts";
import { postJson, randomClientIp, signUpUser, uniqueEmail } from "../helpers/auth.ts";
import { callWithVars } from "../helpers/env-override.ts";

const perEmail = Number(env.LOGIN_ATTEMPTS_PER_EMAIL);
const windowSeconds = Number(env.LOGIN_ATTEMPT_WINDOW_SECONDS);

/** The reset runs after the response (waitUntil): poll the limiter until it has happened. */
async function waitForEmptyLimiter(key: string) {
  const namespace: DurableObjectNamespace<LoginLimiterDO> = env.LOGIN_LIMITER;
  const stub = namespace.getByName(key);
  for (let i = 0; i < 100; i++) {
    const count = await runInDurableObject(
      stub,
      (_, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM attempts").one().n,
    );
    if (count === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`limiter ${key} was never reset`);
}

describe("login rate limits", () => {
  it("blocks an email after LOGIN_ATTEMPTS_PER_EMAIL attempts, from any IP, with Retry-After", async () => {
    const user = await signUpUser();
    for (let i = 0; i < perEmail; i++) {
      const res = await postJson("/v1/auth/login", { email: user.email, password: "wrong password" });
      expect(res.status).toBe(401);
    }
    // Even the right password from a fresh IP is refused now: the limit is on the account.
    const blocked = await postJson("/v1/auth/login", { email: user.email.toUpperCase(), password: user.password });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toEqual({
      error: { code: "rate_limited", message: "Too many requests; try again later." },
    });
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(windowSeconds - 60);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);

    // Other accounts are unaffected.
    const other = await signUpUser();
    const ok = await postJson("/v1/auth/login", { email: other.email, password: other.password });
    expect(ok.status).toBe(200);
  });

  it("forgives an email's failed attempts after a successful login", async () => {
    const user = await signUpUser();
    for (let i = 0; i < perEmail - 1; i++) {
      await postJson("/v1/auth/login", { email: user.email, password: "wrong password" });
    }
    expect((await postJson("/v1/auth/login", { email: user.email, password: user.password })).status).toBe(200);
    await waitForEmptyLimiter(`email:${user.email.toLowerCase()}`);
    for (let i = 0; i < perEmail - 1; i++) {
      const res = await postJson("/v1/auth/login", { email: user.email, password: "wrong password" });
      expect(res.status).toBe(401);
    }
  });

  it("blocks a client IP after LOGIN_ATTEMPTS_PER_IP attempts, whatever the emails", async () => {
    const vars = { LOGIN_ATTEMPTS_PER_IP: "3" };
    const ip = randomClientIp();
    const attempt = (email: string, clientIp = ip) =>
      callWithVars(vars, "/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": clientIp },
        body: JSON.stringify({ email, password: "wrong password" }),
      });
    for (let i = 0; i < 3; i++) expect((await attempt(uniqueEmail())).status).toBe(401);
    const blocked = await attempt(uniqueEmail());
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await attempt(uniqueEmail(), randomClientIp())).status).toBe(401);
  });
});
