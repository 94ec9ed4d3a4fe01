// The one error body, `{ error: { code, message, details? } }`, built from the catalogue: for the
// Worker's ApiError and for the few places that answer without Hono (the session object's upgrades).
import { ERROR_CATALOGUE, ERROR_HEADERS, type ErrorCode, errorDefinition, type HttpErrorCode } from "./catalogue.ts";

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface ErrorOptions {
  /** Defaults to the catalogue's message for the code. */
  message?: string;
  details?: unknown;
  /** Headers whose value varies (`Retry-After`, `Allow`); fixed ones (`WWW-Authenticate`) are added. */
  headers?: Record<string, string>;
}

export function errorBody(code: ErrorCode, { message, details }: Omit<ErrorOptions, "headers"> = {}): ErrorBody {
  const error = { code, message: message ?? ERROR_CATALOGUE[code].message };
  return { error: details === undefined ? error : { ...error, details } };
}

/** The headers the catalogue declares for the code with a fixed value, plus the sender's own. */
export function errorHeaders(code: HttpErrorCode, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of errorDefinition(code).headers ?? []) {
    const fixed = ERROR_HEADERS[name].fixed;
    if (fixed !== null) headers[name] = fixed;
  }
  return { ...headers, ...extra };
}

/** A plain Response in the error model, for code that runs outside Hono. */
export function errorResponse(code: HttpErrorCode, options: ErrorOptions = {}): Response {
  return Response.json(errorBody(code, options), {
    status: ERROR_CATALOGUE[code].status,
    headers: errorHeaders(code, options.headers),
  });
}
