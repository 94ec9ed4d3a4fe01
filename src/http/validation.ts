// Turns schema validation failures into 422 with field-level details.
import type { Hook } from "@hono/zod-openapi";
import { fieldErrors } from "../shared/field-errors.ts";
import { apiError } from "./errors.ts";

// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by every route and input target.
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) throw apiError("validation_failed", { details: fieldErrors(result.error.issues) });
};
