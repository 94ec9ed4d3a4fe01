// createRouter(): a feature router that renders validation failures in the one error model.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env.ts";
import { validationHook } from "./validation.ts";

/** zod-openapi applies a router's own hook to its routes, so every router needs this one. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
