// The schemas are the documentation: every auth route, its bodies, errors and security in /openapi.json.
import { describe, expect, it } from "vitest";
import { call } from "../helpers/auth.ts";

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe("GET /openapi.json", () => {
  it("documents the auth and API-key routes with their security and errors", async () => {
    const doc = (await (await call("/openapi.json")).json()) as OpenApiDoc;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/auth/signup",
        "/v1/auth/login",
        "/v1/auth/logout",
        "/v1/me",
        "/v1/api-keys",
        "/v1/api-keys/{id}",
      ]),
    );
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/v1/me"]?.get?.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths["/v1/auth/login"]?.post?.security).toBeUndefined();
    expect(Object.keys(doc.paths["/v1/auth/login"]?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "401", "422", "429"]),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["Error", "SignupRequest", "AuthResponse", "ApiKeyCreated", "ApiKeyList"]),
    );
  });

  it("is rendered by /docs", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("/openapi.json");
  });
});
