// Browser-facing defaults: CORS from CORS_ORIGINS (never with credentials) and security headers everywhere.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../helpers/auth.ts";
import { callWithVars } from "../helpers/env-override.ts";

const allowedOrigin = env.CORS_ORIGINS.split(",")[0] ?? "";

function preflight(origin: string) {
  return {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  };
}

describe("CORS", () => {
  it("answers a preflight from an allowed origin without authentication", async () => {
    expect(allowedOrigin).toMatch(/^http:\/\/localhost:\d+$/);
    const res = await call("/v1/api-keys", preflight(allowedOrigin));
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowedOrigin);
    expect(res.headers.get("access-control-allow-methods")).toContain("DELETE");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("vary")).toContain("Origin");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("tells the browser nothing for an origin not on the list", async () => {
    const preflightRes = await call("/v1/me", preflight("https://evil.example"));
    expect(preflightRes.headers.get("access-control-allow-origin")).toBeNull();
    const res = await call("/health", { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("exposes the request id and error headers to allowed origins", async () => {
    const res = await call("/v1/me", { headers: { origin: allowedOrigin } });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowedOrigin);
    expect(res.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("x-request-id");
  });

  it("answers `*` without credentials when CORS_ORIGINS is `*`", async () => {
    const res = await callWithVars({ CORS_ORIGINS: "*" }, "/health", { headers: { origin: "https://any.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("allows no cross-origin caller when CORS_ORIGINS is empty (the deployed default)", async () => {
    const res = await callWithVars({ CORS_ORIGINS: "" }, "/health", { headers: { origin: allowedOrigin } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("security headers", () => {
  it.each([
    ["a success", "/health"],
    ["an error", "/v1/me"],
    ["a missing route", "/nowhere"],
  ])("are on %s", async (_, path) => {
    const res = await call(path);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });
});
