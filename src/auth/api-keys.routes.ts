// Route definitions for API keys: create (secret shown once), list (paginated, no secrets), revoke.
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED, errorResponses, JSON_BODY } from "../http/error-schema.ts";
import { BEARER } from "../http/openapi.ts";
import { ApiKeyCreated, ApiKeyList, CreateApiKeyBody, CredentialIdParam, ListCredentialsQuery } from "./schemas.ts";

export const createApiKeyRoute = createRoute({
  method: "post",
  path: "/api-keys",
  operationId: "createApiKey",
  tags: ["api keys"],
  summary: "Create an API key for machines; the key is in this response only",
  description:
    "A key never outlives the credential that creates it: it expires no later than the presenting token or key and is revoked with it, unless `currentPassword` is given (or the caller presents an identity-provider token). At most QUOTA_API_KEYS_PER_USER live keys (`409 api_key_limit`).",
  security: BEARER,
  request: { body: { content: { "application/json": { schema: CreateApiKeyBody } }, required: true } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: ApiKeyCreated } } },
    ...errorResponses(
      ...AUTHENTICATED,
      ...JSON_BODY,
      "no_password",
      "invalid_password",
      "api_key_limit",
      "rate_limited",
    ),
  },
});

export const listApiKeysRoute = createRoute({
  method: "get",
  path: "/api-keys",
  operationId: "listApiKeys",
  tags: ["api keys"],
  summary: "Your unrevoked API keys (expired ones too), newest first, without secrets; paginated",
  security: BEARER,
  request: { query: ListCredentialsQuery },
  responses: {
    200: { description: "A page of your keys", content: { "application/json": { schema: ApiKeyList } } },
    ...errorResponses(...AUTHENTICATED, "bad_request", "validation_failed"),
  },
});

export const deleteApiKeyRoute = createRoute({
  method: "delete",
  path: "/api-keys/{id}",
  operationId: "deleteApiKey",
  tags: ["api keys"],
  summary: "Revoke one of your API keys, with every key it minted",
  security: BEARER,
  request: { params: CredentialIdParam },
  responses: {
    204: { description: "Revoked: the key no longer works" },
    ...errorResponses(...AUTHENTICATED, "not_found", "validation_failed"),
  },
});
