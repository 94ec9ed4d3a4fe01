import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /health", () => {
  it("reports ok with the stage and version, unauthenticated", async () => {
    const res = await exports.default.fetch("https://api.test/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, stage: "test", version: "test" });
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("renders unknown routes and wrong methods in the error model", async () => {
    const missing = await exports.default.fetch("https://api.test/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });

    const wrongMethod = await exports.default.fetch("https://api.test/health", { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toContain("GET");
    expect(await wrongMethod.json()).toMatchObject({ error: { code: "method_not_allowed" } });
  });

  it("serves the OpenAPI document and the docs page", async () => {
    const doc = await exports.default.fetch("https://api.test/openapi.json");
    expect(doc.status).toBe(200);
    const body = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(body.openapi).toBe("3.1.0");
    expect(body.paths["/health"]).toBeDefined();
    const docs = await exports.default.fetch("https://api.test/docs");
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("/openapi.json");
  });
});
