// Route definitions for API keys: create (secret shown once), list (paginated, no secrets), revoke.
import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../http/error-schema.ts";
import { BEARER } from "./auth.routes.ts";
import { ApiKeyCreated, ApiKeyList, CreateApiKeyBody, CredentialIdParam, ListCredentialsQuery } from "./schemas.ts";

export const createApiKeyRoute = createRoute({
  method: "post",
  path: "/api-keys",
  tags: ["api keys"],
  summary: "Create an API key for machines; the key is in this response only",
  description:
    "A key never outlives the credential that creates it: it expires no later than the presenting token or key and is revoked with it, unless `currentPassword` is given (or the caller presents an identity-provider token). At most QUOTA_API_KEYS_PER_USER live keys (`409 api_key_limit`).",
  security: BEARER,
  request: { body: { content: { "application/json": { schema: CreateApiKeyBody } }, required: true } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: ApiKeyCreated } } },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422, 429),
  },
});

export const listApiKeysRoute = createRoute({
  method: "get",
  path: "/api-keys",
  tags: ["api keys"],
  summary: "Your unrevoked API keys (expired ones too), newest first, without secrets; paginated",
  security: BEARER,
  request: { query: ListCredentialsQuery },
  responses: {
    200: { description: "A page of your keys", content: { "application/json": { schema: ApiKeyList } } },
    ...errorResponses(400, 401, 422),
  },
});

export const deleteApiKeyRoute = createRoute({
  method: "delete",
  path: "/api-keys/{id}",
  tags: ["api keys"],
  summary: "Revoke one of your API keys, with every key it minted",
  security: BEARER,
  request: { params: CredentialIdParam },
  responses: {
    204: { description: "Revoked: the key no longer works" },
    ...errorResponses(401, 404),
  },
});
