// Configuration: the variables infra declares parse; invalid ones are named, and signup can be switched off.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AUTH_HTTP_DEFAULTS, LOCAL_DEV_CORS_ORIGINS, workerVars } from "../../../infra/worker-vars.ts";
import { ConfigError, parseConfig } from "../../../src/config/config-schema.ts";
import { uniqueEmail } from "../helpers/auth.ts";
import { callWithVars } from "../helpers/env-override.ts";

const valid = workerVars({ stage: "unit", version: "1", local: false });

function problems(overrides: Record<string, string>): string {
  try {
    parseConfig({ ...valid, ...overrides });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("parses the declared defaults into typed values", () => {
    const config = parseConfig(valid);
    expect(config).toMatchObject({
      SIGNUP_ENABLED: true,
      LOGIN_TOKEN_TTL_DAYS: 30,
      MAX_BODY_BYTES: 65_536,
      CORS_ORIGINS: [],
      IDP_ISSUER: undefined,
    });
    expect(parseConfig(workerVars({ stage: "dev", version: "1", local: true })).CORS_ORIGINS).toEqual(
      LOCAL_DEV_CORS_ORIGINS.split(","),
    );
    expect(env.MAX_BODY_BYTES).toBe(AUTH_HTTP_DEFAULTS.MAX_BODY_BYTES);
  });

  it("names every invalid variable", () => {
    const message = problems({ SIGNUP_ENABLED: "maybe", LOGIN_TOKEN_TTL_DAYS: "0", MAX_BODY_BYTES: "64k" });
    expect(message).toMatch(/^Invalid Worker configuration: /);
    expect(message).toContain("SIGNUP_ENABLED");
    expect(message).toContain("LOGIN_TOKEN_TTL_DAYS");
    expect(message).toContain("MAX_BODY_BYTES");
  });

  it("validates the brute-force limits and quotas, and keeps the per-email ceiling above the pair limit", () => {
    expect(parseConfig(valid)).toMatchObject({
      LOGIN_ATTEMPTS_PER_EMAIL_AND_IP: 10,
      LOGIN_ATTEMPTS_PER_EMAIL: 100,
      SIGNUPS_PER_IP: 10,
      QUOTA_SESSIONS_PER_USER: 1000,
      QUOTA_API_KEYS_PER_USER: 100,
      QUOTA_MEMBERS_PER_SESSION: 100,
    });
    const message = problems({ QUOTA_SESSIONS_PER_USER: "0", QUOTA_API_KEYS_PER_USER: "lots", SIGNUPS_PER_IP: "" });
    for (const name of ["QUOTA_SESSIONS_PER_USER", "QUOTA_API_KEYS_PER_USER", "SIGNUPS_PER_IP"]) {
      expect(message).toContain(name);
    }
    expect(problems({ LOGIN_ATTEMPTS_PER_EMAIL_AND_IP: "50", LOGIN_ATTEMPTS_PER_EMAIL: "20" })).toContain(
      "LOGIN_ATTEMPTS_PER_EMAIL_AND_IP",
    );
    // Every local client shares one address: the signup limit is lifted there, and only there.
    expect(parseConfig(workerVars({ stage: "dev", version: "1", local: true })).SIGNUPS_PER_IP).toBe(10_000);
  });

  it("accepts CORS origins only as exact origins or `*`", () => {
    expect(parseConfig({ ...valid, CORS_ORIGINS: "https://a.example, http://localhost:5173" }).CORS_ORIGINS).toEqual([
      "https://a.example",
      "http://localhost:5173",
    ]);
    expect(problems({ CORS_ORIGINS: "https://a.example/app" })).toContain("CORS_ORIGINS");
    expect(problems({ CORS_ORIGINS: "a.example" })).toContain("CORS_ORIGINS");
  });

  it("wants the identity provider complete, with an https JWKS URL, or not at all", () => {
    const idp = { IDP_ISSUER: "https://idp.example/", IDP_JWKS_URL: "https://idp.example/jwks", IDP_AUDIENCE: "api" };
    expect(parseConfig({ ...valid, ...idp }).IDP_JWKS_URL).toBe(idp.IDP_JWKS_URL);
    expect(problems({ IDP_ISSUER: idp.IDP_ISSUER })).toContain("set together or not at all");
    expect(problems({ ...idp, IDP_JWKS_URL: "http://idp.example/jwks" })).toContain("IDP_JWKS_URL");
  });

  it("stops the deploy, dev and tests up front when a value is invalid", () => {
    expect(() => workerVars({ stage: "", version: "1", local: false })).toThrow(ConfigError);
  });

  it("switches signup off with SIGNUP_ENABLED=false (403), leaving login alone", async () => {
    const res = await callWithVars({ SIGNUP_ENABLED: "false" }, "/v1/auth/signup", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: uniqueEmail(), password: "long enough password" }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: "signup_disabled", message: "Signup is switched off for this API." },
    });
  });

  it("sets the login token lifetime from LOGIN_TOKEN_TTL_DAYS", async () => {
    const res = await callWithVars({ LOGIN_TOKEN_TTL_DAYS: "2" }, "/v1/auth/signup", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: uniqueEmail(), password: "long enough password" }),
    });
    const { expiresAt } = (await res.json()) as { expiresAt: string };
    const days = (Date.parse(expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(1.9);
    expect(days).toBeLessThanOrEqual(2);
  });
});
