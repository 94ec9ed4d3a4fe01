// One error model for the whole API: every failure is {"error": {code, message, details?}} with a request id.
import { describe, expect, it, vi } from "vitest";
import { bearer, call, postJson, signUpUser } from "../helpers/auth.ts";
import { config } from "../helpers/config.ts";
import { callWithVars } from "../helpers/env-override.ts";

const ERROR_SHAPE = { error: { code: expect.stringMatching(/^[a-z]+(_[a-z]+)*$/), message: expect.any(String) } };

describe("the error model", () => {
  it("renders 400, 401, 404, 405, 409, 413, 415 and 422 alike, each with x-request-id", async () => {
    const user = await signUpUser();
    const responses = {
      400: await call("/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: "{" }),
      401: await call("/v1/me"),
      404: await call("/nowhere"),
      405: await call("/health", { method: "POST" }),
      409: await postJson("/v1/auth/signup", { email: user.email, password: "long enough password" }),
      413: await postJson("/v1/api-keys", { name: "x".repeat(config.MAX_BODY_BYTES) }, bearer(user.token)),
      415: await call("/v1/api-keys", {
        method: "POST",
        headers: { ...bearer(user.token), "content-type": "text/csv" },
        body: "a,b",
      }),
      422: await postJson("/v1/api-keys", {}, bearer(user.token)),
    };
    for (const [status, res] of Object.entries(responses)) {
      expect(res.status, `status ${status}`).toBe(Number(status));
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(await res.json()).toMatchObject(ERROR_SHAPE);
    }
  });

  it("keeps a caller's x-request-id", async () => {
    const res = await call("/v1/me", { headers: { "x-request-id": "trace-123" } });
    expect(res.headers.get("x-request-id")).toBe("trace-123");
  });

  it("renders 500 without internals and logs the cause with the request id, no secrets", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await callWithVars({ MAX_BODY_BYTES: "lots" }, "/v1/me", { headers: bearer("sat_secret-ish") });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        error: { code: "internal_error", message: "Something went wrong on our side." },
      });
      const logged = errors.mock.calls.map(([line]) => String(line)).join("\n");
      const entry = JSON.parse(logged.split("\n").find((line) => line.includes("unhandled_error")) ?? "{}");
      expect(entry).toMatchObject({ level: "error", requestId: res.headers.get("x-request-id") });
      expect(entry.error).toContain("MAX_BODY_BYTES");
      expect(logged).not.toContain("sat_secret-ish");
    } finally {
      errors.mockRestore();
    }
  });

  it("never logs passwords or tokens", async () => {
    const lines: string[] = [];
    const capture = (line: unknown) => lines.push(String(line));
    const spies = (["log", "info", "warn", "error"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(capture),
    );
    try {
      const user = await signUpUser();
      await postJson("/v1/auth/login", { email: user.email, password: user.password });
      await postJson("/v1/auth/login", { email: user.email, password: "wrong password here" });
      const key = (await (await postJson("/v1/api-keys", { name: "k" }, bearer(user.token))).json()) as { key: string };
      await call("/v1/auth/logout", { method: "POST", headers: bearer(user.token) });
      const all = lines.join("\n");
      expect(lines.length).toBeGreaterThan(3);
      for (const secret of [user.password, "wrong password here", user.token, key.key]) {
        expect(all).not.toContain(secret);
      }
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
