// Renders every failure in the one error model; unknown errors become a bare 500, logged with the request id.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { GENERIC_CODES } from "../errors/catalogue.ts";
import { log } from "../shared/log.ts";
import { ApiError, apiError, type ErrorBody } from "./errors.ts";

export function renderError(c: Context, error: ApiError): Response {
  return c.json<ErrorBody>(error.toBody(), error.status, error.headers);
}

export function errorHandler(err: Error, c: Context): Response {
  if (err instanceof ApiError) return renderError(c, err);
  // A framework refusal with a status the catalogue has no code for is still the client's fault: 400.
  const generic =
    err instanceof HTTPException && err.status < 500 ? (GENERIC_CODES[err.status] ?? "bad_request") : null;
  // Hono's own messages (e.g. "Malformed JSON in request body") are safe to show.
  if (generic) return renderError(c, apiError(generic, { message: err.message || undefined }));
  log("error", "unhandled_error", {
    requestId: c.get("requestId"),
    method: c.req.method,
    path: c.req.path,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  });
  return renderError(c, apiError("internal_error"));
}

export function notFoundHandler(c: Context): Response {
  return renderError(c, apiError("not_found", { message: `No route for ${c.req.method} ${c.req.path}.` }));
}

export function methodNotAllowedHandler(c: Context, methods: string[]): Response {
  const message = `${c.req.method} is not allowed here.`;
  return renderError(c, apiError("method_not_allowed", { message, headers: { Allow: methods.join(", ") } }));
}
