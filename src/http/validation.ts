// Turns schema validation failures into 422 with field-level details.
import type { Hook } from "@hono/zod-openapi";
import { apiError } from "./errors.ts";

export function fieldErrors(issues: readonly { path: PropertyKey[]; message: string; code: string }[]) {
  return issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
    code: issue.code,
  }));
}

// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by every route and input target.
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) throw apiError("validation_failed", { details: fieldErrors(result.error.issues) });
};
