// The auth feature: its routers, the middleware other routers use, and what other features may import.
import { createRouter } from "../http/router.ts";
import { createApiKey, deleteApiKey, listApiKeysHandler } from "./api-keys.handlers.ts";
import { createApiKeyRoute, deleteApiKeyRoute, listApiKeysRoute } from "./api-keys.routes.ts";
import { changePassword, login, logout, me, signup } from "./auth.handlers.ts";
import { changePasswordRoute, loginRoute, logoutRoute, meRoute, signupRoute } from "./auth.routes.ts";
import { listLoginTokens, revokeAllLoginTokens, revokeLoginToken } from "./login-tokens.handlers.ts";
import { listLoginTokensRoute, revokeAllLoginTokensRoute, revokeLoginTokenRoute } from "./login-tokens.routes.ts";

export { requireAuth } from "./require-auth.ts";
export { findUserByEmail } from "./users.ts";

/** Paths under /v1 that are reachable without a token. */
export const PUBLIC_AUTH_PATHS = ["/v1/auth/signup", "/v1/auth/login"];

export const authRoutes = createRouter()
  .openapi(signupRoute, signup)
  .openapi(loginRoute, login)
  .openapi(logoutRoute, logout)
  .openapi(changePasswordRoute, changePassword)
  .openapi(listLoginTokensRoute, listLoginTokens)
  .openapi(revokeAllLoginTokensRoute, revokeAllLoginTokens)
  .openapi(revokeLoginTokenRoute, revokeLoginToken)
  .openapi(meRoute, me);

export const apiKeyRoutes = createRouter()
  .openapi(createApiKeyRoute, createApiKey)
  .openapi(listApiKeysRoute, listApiKeysHandler)
  .openapi(deleteApiKeyRoute, deleteApiKey);
