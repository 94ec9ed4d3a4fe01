// Renders every failure in the one error model; unknown errors become a bare 500, logged with the request id.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError, type ErrorBody } from "./errors.ts";
import { log } from "./log.ts";

const HTTP_EXCEPTION_CODES: Partial<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

export function renderError(c: Context, error: ApiError): Response {
  return c.json<ErrorBody>(error.toBody(), error.status, error.headers);
}

export function errorHandler(err: Error, c: Context): Response {
  if (err instanceof ApiError) return renderError(c, err);
  if (err instanceof HTTPException && err.status < 500) {
    const code = HTTP_EXCEPTION_CODES[err.status] ?? "bad_request";
    // Hono's own messages (e.g. "Malformed JSON in request body") are safe to show.
    return renderError(c, new ApiError(err.status as ContentfulStatusCode, code, err.message || code));
  }
  log("error", "unhandled_error", {
    requestId: c.get("requestId"),
    method: c.req.method,
    path: c.req.path,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  });
  return renderError(c, new ApiError(500, "internal_error", "Something went wrong on our side."));
}

export function notFoundHandler(c: Context): Response {
  return renderError(c, new ApiError(404, "not_found", `No route for ${c.req.method} ${c.req.path}.`));
}

export function methodNotAllowedHandler(c: Context, methods: string[]): Response {
  const error = new ApiError(405, "method_not_allowed", `${c.req.method} is not allowed here.`, undefined, {
    Allow: methods.join(", "),
  });
  return renderError(c, error);
}
