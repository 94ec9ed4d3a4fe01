// Route definitions for API keys: create (secret shown once), list (paginated, no secrets), revoke.
import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../http/error-schema.ts";
import { BEARER } from "./auth.routes.ts";
import { ApiKeyCreated, ApiKeyIdParam, ApiKeyList, CreateApiKeyBody, ListApiKeysQuery } from "./schemas.ts";

export const createApiKeyRoute = createRoute({
  method: "post",
  path: "/api-keys",
  tags: ["api keys"],
  summary: "Create an API key for machines; the key is in this response only",
  security: BEARER,
  request: { body: { content: { "application/json": { schema: CreateApiKeyBody } }, required: true } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: ApiKeyCreated } } },
    ...errorResponses(400, 401, 413, 415, 422),
  },
});

export const listApiKeysRoute = createRoute({
  method: "get",
  path: "/api-keys",
  tags: ["api keys"],
  summary: "Your unrevoked API keys (expired ones too), newest first, without secrets; paginated",
  security: BEARER,
  request: { query: ListApiKeysQuery },
  responses: {
    200: { description: "A page of your keys", content: { "application/json": { schema: ApiKeyList } } },
    ...errorResponses(400, 401, 422),
  },
});

export const deleteApiKeyRoute = createRoute({
  method: "delete",
  path: "/api-keys/{id}",
  tags: ["api keys"],
  summary: "Revoke one of your API keys",
  security: BEARER,
  request: { params: ApiKeyIdParam },
  responses: {
    204: { description: "Revoked: the key no longer works" },
    ...errorResponses(401, 404),
  },
});
