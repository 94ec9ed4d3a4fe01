// Route definitions for your login tokens: list them (never their secrets), revoke one, revoke all.
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED, errorResponses } from "../http/error-schema.ts";
import { BEARER, jsonContent } from "../http/openapi.ts";
import {
  CredentialIdParam,
  ListCredentialsQuery,
  LoginTokenList,
  RevokeAllTokensQuery,
  RevokedCount,
} from "./schemas.ts";

export const listLoginTokensRoute = createRoute({
  method: "get",
  path: "/auth/tokens",
  operationId: "listLoginTokens",
  tags: ["auth"],
  summary: "Your live login tokens (one per sign-in), newest first, without secrets; paginated",
  security: BEARER,
  request: { query: ListCredentialsQuery },
  responses: {
    200: { description: "A page of your login tokens", content: jsonContent(LoginTokenList) },
    ...errorResponses(...AUTHENTICATED, "bad_request", "validation_failed"),
  },
});

export const revokeLoginTokenRoute = createRoute({
  method: "delete",
  path: "/auth/tokens/{id}",
  operationId: "revokeLoginToken",
  tags: ["auth"],
  summary: "Revoke one of your login tokens (the current one too), with every API key it minted",
  security: BEARER,
  request: { params: CredentialIdParam },
  responses: {
    204: { description: "Revoked: the token no longer works" },
    ...errorResponses(...AUTHENTICATED, "not_found", "validation_failed"),
  },
});

export const revokeAllLoginTokensRoute = createRoute({
  method: "delete",
  path: "/auth/tokens",
  operationId: "revokeAllLoginTokens",
  tags: ["auth"],
  summary: "Sign out everywhere: revoke all your login tokens but the current one (unless includeCurrent=true)",
  description: "API keys minted by a revoked token go with it; other API keys are managed at /v1/api-keys.",
  security: BEARER,
  request: { query: RevokeAllTokensQuery },
  responses: {
    200: { description: "Revoked", content: jsonContent(RevokedCount) },
    ...errorResponses(...AUTHENTICATED, "validation_failed"),
  },
});
