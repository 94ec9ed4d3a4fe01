// Every request first checks the whole Worker configuration (parsed once per environment, then cached), so a
// misconfigured stage fails everywhere, /health included, instead of only on the routes that read a bad value.
import type { MiddlewareHandler } from "hono";
import { getConfig } from "../config/config.ts";
import type { AppEnv } from "./app-env.ts";

/** A ConfigError (naming each bad variable, never a value) reaches the error handler: logged, rendered as a 500. */
export const requireValidConfig: MiddlewareHandler<AppEnv> = async (c, next) => {
  getConfig(c.env);
  await next();
};
