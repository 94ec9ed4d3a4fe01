// The schemas are the documentation: every auth route, its bodies, errors and security in /openapi.json.
import { describe, expect, it } from "vitest";
import { call } from "../helpers/auth.ts";

interface Operation {
  security?: unknown;
  parameters?: { name: string; in: string }[];
  responses: Record<string, unknown>;
}

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown> }>;
    securitySchemes: Record<string, unknown>;
  };
}

const AUTH_SCHEMAS = [
  "SignupRequest",
  "LoginRequest",
  "User",
  "AuthResponse",
  "Me",
  "CreateApiKeyRequest",
  "ApiKeyCreated",
  "ApiKey",
  "ApiKeyList",
  "ChangePasswordRequest",
  "LoginToken",
  "LoginTokenList",
];

describe("GET /openapi.json", () => {
  it("documents the auth and API-key routes with their security and errors", async () => {
    const doc = (await (await call("/openapi.json")).json()) as OpenApiDoc;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/auth/signup",
        "/v1/auth/login",
        "/v1/auth/logout",
        "/v1/auth/password",
        "/v1/auth/tokens",
        "/v1/auth/tokens/{id}",
        "/v1/me",
        "/v1/api-keys",
        "/v1/api-keys/{id}",
      ]),
    );
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/v1/me"]?.get?.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths["/v1/auth/login"]?.post?.security).toEqual([]);
    expect(doc.paths["/v1/auth/signup"]?.post?.security).toEqual([]);
    expect(Object.keys(doc.paths["/v1/auth/login"]?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "401", "422", "429"]),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["Error", "SignupRequest", "AuthResponse", "ApiKeyCreated", "ApiKeyList"]),
    );
  });

  it("names every auth field in camelCase and pages the key list like every other list", async () => {
    const doc = (await (await call("/openapi.json")).json()) as OpenApiDoc;
    const fields = AUTH_SCHEMAS.flatMap((name) => Object.keys(doc.components.schemas[name]?.properties ?? {}));
    expect(fields).toEqual(expect.arrayContaining(["expiresAt", "createdAt", "lastUsedAt", "expiresInDays"]));
    expect(fields.filter((field) => !/^[a-z][A-Za-z]*$/.test(field))).toEqual([]);
    expect(Object.keys(doc.components.schemas.ApiKeyList?.properties ?? {})).toEqual(["items", "nextCursor"]);
    const list = doc.paths["/v1/api-keys"]?.get;
    expect(list?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(["query:limit", "query:cursor"]);
  });

  it("is rendered by /docs", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("/openapi.json");
  });
});
