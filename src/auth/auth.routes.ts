// Route definitions for signup, login, logout and /me: paths, schemas and documented responses.
import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../http/error-schema.ts";
import { AuthResponse, ChangePasswordBody, LoginBody, MeResponse, RevokedCount, SignupBody } from "./schemas.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
export const BEARER = [{ bearerAuth: [] }];

export const signupRoute = createRoute({
  method: "post",
  path: "/auth/signup",
  tags: ["auth"],
  summary: "Create an account and get a login token",
  request: { body: { ...json(SignupBody), required: true } },
  responses: {
    201: { description: "Account created", ...json(AuthResponse) },
    ...errorResponses(400, 403, 409, 413, 415, 422, 429),
  },
});

export const loginRoute = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["auth"],
  summary: "Exchange email and password for a login token",
  request: { body: { ...json(LoginBody), required: true } },
  responses: {
    200: { description: "Logged in", ...json(AuthResponse) },
    ...errorResponses(400, 401, 413, 415, 422, 429),
  },
});

export const logoutRoute = createRoute({
  method: "post",
  path: "/auth/logout",
  tags: ["auth"],
  summary: "Revoke the token this request presents",
  security: BEARER,
  responses: {
    204: { description: "The token no longer works" },
    ...errorResponses(400, 401),
  },
});

export const changePasswordRoute = createRoute({
  method: "post",
  path: "/auth/password",
  tags: ["auth"],
  summary: "Change your password; every other login token and API key is revoked",
  description:
    "Needs the current password (counted by the login limits). The token or key presenting this request keeps working; every other credential of yours, and every key they minted, stops.",
  security: BEARER,
  request: { body: { ...json(ChangePasswordBody), required: true } },
  responses: {
    200: { description: "Changed", ...json(RevokedCount) },
    ...errorResponses(400, 401, 403, 413, 415, 422, 429),
  },
});

export const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags: ["auth"],
  summary: "The caller",
  security: BEARER,
  responses: {
    200: { description: "The authenticated user", ...json(MeResponse) },
    ...errorResponses(401),
  },
});
