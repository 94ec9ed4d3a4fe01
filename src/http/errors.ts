// The API's one error model in the Worker: apiError("code", { message?, details?, headers? }) throws
// an ApiError whose status, fixed headers and default message come from the error catalogue.
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorBody, type ErrorOptions, errorBody, errorHeaders } from "../errors/body.ts";
import { errorStatus, type HttpErrorCode } from "../errors/catalogue.ts";

export type { ErrorBody } from "../errors/body.ts";

export class ApiError extends Error {
  override name = "ApiError";
  readonly code: HttpErrorCode;
  readonly status: ContentfulStatusCode;
  readonly details?: unknown;
  readonly headers: Record<string, string>;

  constructor(code: HttpErrorCode, options: ErrorOptions = {}) {
    const body = errorBody(code, options);
    super(body.error.message);
    this.code = code;
    this.status = errorStatus(code);
    this.details = options.details;
    this.headers = errorHeaders(code, options.headers);
  }

  toBody(): ErrorBody {
    return errorBody(this.code, { message: this.message, details: this.details });
  }
}

export const apiError = (code: HttpErrorCode, options?: ErrorOptions) => new ApiError(code, options);
