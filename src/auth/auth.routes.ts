// Route definitions for signup, login, logout and /me: paths, schemas and documented responses.
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED, errorResponses, JSON_BODY } from "../http/error-schema.ts";
import { BEARER } from "../http/openapi.ts";
import { AuthResponse, ChangePasswordBody, LoginBody, MeResponse, RevokedCount, SignupBody } from "./schemas.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
/** Routes anyone may call: overrides nothing today, but says so to client generators and linters. */
export const PUBLIC: [] = [];

export const signupRoute = createRoute({
  method: "post",
  path: "/auth/signup",
  operationId: "signup",
  tags: ["auth"],
  summary: "Create an account and get a login token",
  security: PUBLIC,
  request: { body: { ...json(SignupBody), required: true } },
  responses: {
    201: { description: "Account created", ...json(AuthResponse) },
    ...errorResponses(...JSON_BODY, "signup_disabled", "email_taken", "rate_limited"),
  },
});

export const loginRoute = createRoute({
  method: "post",
  path: "/auth/login",
  operationId: "login",
  tags: ["auth"],
  summary: "Exchange email and password for a login token",
  security: PUBLIC,
  request: { body: { ...json(LoginBody), required: true } },
  responses: {
    200: { description: "Logged in", ...json(AuthResponse) },
    ...errorResponses(...JSON_BODY, "invalid_credentials", "rate_limited"),
  },
});

export const logoutRoute = createRoute({
  method: "post",
  path: "/auth/logout",
  operationId: "logout",
  tags: ["auth"],
  summary: "Revoke the token this request presents",
  security: BEARER,
  responses: {
    204: { description: "The token no longer works" },
    ...errorResponses(...AUTHENTICATED, "not_revocable"),
  },
});

export const changePasswordRoute = createRoute({
  method: "post",
  path: "/auth/password",
  operationId: "changePassword",
  tags: ["auth"],
  summary: "Change your password; every other login token and API key is revoked",
  description:
    "Needs the current password (counted by the login limits). The token or key presenting this request keeps working; every other credential of yours, and every key they minted, stops.",
  security: BEARER,
  request: { body: { ...json(ChangePasswordBody), required: true } },
  responses: {
    200: { description: "Changed", ...json(RevokedCount) },
    ...errorResponses(...AUTHENTICATED, ...JSON_BODY, "no_password", "invalid_password", "rate_limited"),
  },
});

export const meRoute = createRoute({
  method: "get",
  path: "/me",
  operationId: "getMe",
  tags: ["auth"],
  summary: "The caller",
  security: BEARER,
  responses: {
    200: { description: "The authenticated user", ...json(MeResponse) },
    ...errorResponses(...AUTHENTICATED),
  },
});
