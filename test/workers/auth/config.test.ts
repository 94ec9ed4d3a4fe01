// Configuration inside the Worker: every variable parses through the one schema; an invalid value is named, and a
// misconfigured Worker refuses every route (/health included) instead of failing only where the value is read.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { AUTH_HTTP_DEFAULTS, LOCAL_DEV_CORS_ORIGINS, LOCAL_SIGNUPS_PER_IP } from "../../../infra/worker-vars.ts";
import { ConfigError, parseConfig } from "../../../src/config/config-schema.ts";
import { bearer, signUpUser, uniqueEmail } from "../helpers/auth.ts";
import { callWithVars } from "../helpers/env-override.ts";

/** The tests' Worker variables (vitest.config.ts: infra's local stage): a valid configuration to change. */
const valid: Record<string, unknown> = { ...env };

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
  it("parses the variables infra declares into typed values", () => {
    const config = parseConfig(valid);
    expect(config).toMatchObject({
      SIGNUP_ENABLED: AUTH_HTTP_DEFAULTS.SIGNUP_ENABLED === "true",
      LOGIN_TOKEN_TTL_DAYS: Number(AUTH_HTTP_DEFAULTS.LOGIN_TOKEN_TTL_DAYS),
      MAX_BODY_BYTES: Number(AUTH_HTTP_DEFAULTS.MAX_BODY_BYTES),
      IDP_ISSUER: undefined,
      // A local stage: the dev kind of infra/stage-config.ts.
      CORS_ORIGINS: LOCAL_DEV_CORS_ORIGINS.split(","),
      SIGNUPS_PER_IP: Number(LOCAL_SIGNUPS_PER_IP),
    });
    expect(config.PASSWORD_PEPPER).toEqual([env.PASSWORD_PEPPER]);
  });

  it("names every invalid variable", () => {
    const message = problems({ SIGNUP_ENABLED: "maybe", LOGIN_TOKEN_TTL_DAYS: "0", MAX_BODY_BYTES: "64k" });
    expect(message).toMatch(/^Invalid Worker configuration: /);
    for (const name of ["SIGNUP_ENABLED", "LOGIN_TOKEN_TTL_DAYS", "MAX_BODY_BYTES"]) expect(message).toContain(name);
  });

  it("checks the session and real-time limits in the same schema", () => {
    const message = problems({ SESSION_MAX_TASKS: "0", SESSION_MAX_PAGE_SIZE: "lots", WS_TICKET_TTL_SECONDS: "61" });
    for (const name of ["SESSION_MAX_TASKS", "SESSION_MAX_PAGE_SIZE", "WS_TICKET_TTL_SECONDS"]) {
      expect(message).toContain(name);
    }
    expect(problems({ WS_MAX_SOCKETS_PER_SESSION: "4", WS_MAX_SOCKETS_PER_USER: "4" })).toContain(
      "WS_MAX_SOCKETS_PER_USER",
    );
  });

  it("validates the brute-force limits and quotas, and keeps the per-email ceiling above the pair limit", () => {
    const message = problems({ QUOTA_SESSIONS_PER_USER: "0", QUOTA_API_KEYS_PER_USER: "lots", SIGNUPS_PER_IP: "" });
    for (const name of ["QUOTA_SESSIONS_PER_USER", "QUOTA_API_KEYS_PER_USER", "SIGNUPS_PER_IP"]) {
      expect(message).toContain(name);
    }
    expect(problems({ LOGIN_ATTEMPTS_PER_EMAIL_AND_IP: "50", LOGIN_ATTEMPTS_PER_EMAIL: "20" })).toContain(
      "LOGIN_ATTEMPTS_PER_EMAIL_AND_IP",
    );
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

  it("wants PASSWORD_PEPPER present and long, current first, never echoing it", () => {
    const short = "too-short-to-be-a-pepper";
    const message = problems({ PASSWORD_PEPPER: short });
    expect(message).toContain("PASSWORD_PEPPER");
    expect(message).not.toContain(short);
    const { PASSWORD_PEPPER: _, ...withoutPepper } = valid;
    expect(() => parseConfig(withoutPepper)).toThrow(/PASSWORD_PEPPER/);
    const next = "n".repeat(32);
    expect(parseConfig({ ...valid, PASSWORD_PEPPER: `${next}, ${env.PASSWORD_PEPPER}` }).PASSWORD_PEPPER).toEqual([
      next,
      env.PASSWORD_PEPPER,
    ]);
    expect(problems({ PASSWORD_PEPPER: `${next},${next}` })).toContain("listed twice");
  });
});

describe("a misconfigured Worker", () => {
  /** Each refusal and the error line the Worker logged for it. */
  async function refused(vars: Record<string, string>, path: string, init: RequestInit = {}) {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await callWithVars(vars, path, init);
      return { status: res.status, body: await res.json(), log: logged.mock.calls.flat().join("\n") };
    } finally {
      logged.mockRestore();
    }
  }

  it.each([
    ["SESSION_MAX_TASKS", "0"],
    ["WS_MAX_FRAME_BYTES", "12"],
    ["QUOTA_MEMBERS_PER_SESSION", "1"],
    ["PASSWORD_PEPPER", "short"],
  ])("with %s=%s answers 500 on /health and logs the variable's name, never its value", async (name, value) => {
    const res = await refused({ [name]: value }, "/health");
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: "internal_error", message: "Something went wrong on our side." } });
    expect(res.log).toContain("ConfigError");
    expect(res.log).toContain(name);
    if (name === "PASSWORD_PEPPER") expect(res.log).not.toContain(`"${value}"`);
  });

  it("refuses even the routes that read no variable (the API document, an unknown path)", async () => {
    for (const path of ["/openapi.json", "/no-such-route"]) {
      const res = await refused({ SESSION_MAX_TASKS: "0" }, path);
      expect(res.status, path).toBe(500);
      expect(res.log, path).toContain("SESSION_MAX_TASKS");
    }
  });

  it("refuses the session routes the same way, before any of them runs", async () => {
    const user = await signUpUser();
    const res = await refused({ SESSION_MAX_TASKS: "0" }, "/v1/sessions", {
      method: "POST",
      headers: { ...bearer(user.token), "content-type": "application/json" },
      body: JSON.stringify({ title: "never created" }),
    });
    expect(res.status).toBe(500);
    expect(res.log).toContain("SESSION_MAX_TASKS");
    const listed = await callWithVars({}, "/v1/sessions", { headers: bearer(user.token) });
    expect(((await listed.json()) as { items: unknown[] }).items).toEqual([]);
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
