// Small helpers for route definitions, so every router declares JSON bodies and responses alike.
import type { z } from "@hono/zod-openapi";

/** `content` for a JSON request body or response with this schema. */
export const jsonContent = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

/** `security` for routes that need a token: the `bearerAuth` scheme createApp() registers. */
export const BEARER = [{ bearerAuth: [] }];
