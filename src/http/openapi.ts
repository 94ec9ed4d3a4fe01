// Small helpers for route definitions, so every router declares JSON bodies and responses alike.
import type { z } from "@hono/zod-openapi";

/** `content` for a JSON request body or response with this schema. */
export const jsonContent = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
