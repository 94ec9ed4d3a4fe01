// GET /health: unauthenticated liveness with the stage and release it serves.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getConfig } from "../config/config.ts";
import type { AppEnv } from "../http/app-env.ts";

const HealthSchema = z
  .object({
    ok: z.literal(true),
    stage: z.string().openapi({ example: "prod" }),
    version: z.string().openapi({ example: "0.1.0" }),
  })
  .openapi("Health");

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["meta"],
  security: [],
  summary: "Liveness and release information",
  responses: {
    200: { description: "The Worker is up", content: { "application/json": { schema: HealthSchema } } },
  },
});

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(healthRoute, (c) => {
  const { STAGE, VERSION } = getConfig(c.env);
  return c.json({ ok: true as const, stage: STAGE, version: VERSION }, 200);
});
