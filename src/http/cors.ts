// CORS from the CORS_ORIGINS variable. Bearer tokens, never cookies: credentials are never allowed.
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { getConfig } from "../config/config.ts";
import type { AppEnv } from "./app-env.ts";

/** Whether CORS_ORIGINS lets this browser origin in (also asked of WebSocket upgrades). */
export function isAllowedOrigin(allowed: readonly string[], origin: string): boolean {
  return allowed.includes("*") || allowed.includes(origin);
}

const corsMiddleware: MiddlewareHandler<AppEnv> = cors({
  origin: (origin, c) => {
    const allowed = getConfig(c.env).CORS_ORIGINS;
    if (allowed.includes("*")) return "*";
    return isAllowedOrigin(allowed, origin) ? origin : null;
  },
  allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
  allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
  exposeHeaders: ["X-Request-Id", "Retry-After", "WWW-Authenticate"],
  maxAge: 600,
  credentials: false,
});

/** Only browsers send Origin; other clients skip the CORS work entirely. */
export const corsFromConfig: MiddlewareHandler<AppEnv> = (c, next) =>
  c.req.header("origin") === undefined ? next() : corsMiddleware(c, next);
