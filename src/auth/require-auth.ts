// The auth middleware: a valid bearer token or 401, and the caller on `c.var.user` / `c.var.credential`.
import type { MiddlewareHandler } from "hono";
import { getConfig } from "../config/config.ts";
import type { AppEnv } from "../http/app-env.ts";
import { apiError } from "../http/errors.ts";
import { authenticate, bearerToken } from "./authenticate.ts";

export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  // Mounted once for /v1/* and usable again on a router: the second run is free.
  if (c.get("credential") !== undefined) return next();
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw apiError("unauthorized", { message: "Send an Authorization: Bearer <token> header." });
  const principal = await authenticate(c.env, getConfig(c.env), c.executionCtx, token);
  if (!principal) throw apiError("unauthorized", { message: "The token is invalid, expired or revoked." });
  c.set("user", principal.user);
  c.set("credential", principal.credential);
  c.set("credentialExpiresAt", principal.expiresAt);
  return next();
};
