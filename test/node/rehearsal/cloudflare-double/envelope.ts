// The Cloudflare API v4 response envelope, and the one error type every handler of the double throws.
import type { V4PagePaginationArrayResponse } from "cloudflare/pagination";
import type { ErrorData } from "cloudflare/resources/shared";

/** A reply with Cloudflare's status, error code and message, rendered into the v4 envelope. */
export class CloudflareError extends Error {
  override name = "CloudflareError";
  readonly status: number;
  readonly code: number;

  constructor(status: number, code: number, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
}

export function success(result: unknown, status = 200): Reply {
  return { status, body: { success: true, errors: [], messages: [], result } };
}

/**
 * A listing page, `?page=&per_page=` as Cloudflare reads them, with its result_info. The SDK's paginator asks for the
 * next page until one comes back empty, so a page past the end is an empty list, never an error.
 */
export function page(items: unknown[], query: URLSearchParams): Reply {
  const perPage = Number(query.get("per_page") ?? 100);
  const number = Number(query.get("page") ?? 1);
  const slice = items.slice((number - 1) * perPage, number * perPage);
  const resultInfo = { page: number, per_page: perPage, count: slice.length, total_count: items.length };
  const body = { success: true, errors: [], messages: [], result: slice, result_info: resultInfo };
  return { status: 200, body: body satisfies V4PagePaginationArrayResponse<unknown> };
}

export function failure(error: CloudflareError): Reply {
  return {
    status: error.status,
    body: {
      success: false,
      // What the SDK puts in APIError.errors, where the project reads Cloudflare's codes.
      errors: [{ code: error.code, message: error.message }] satisfies ErrorData[],
      messages: [],
      result: null,
    },
  };
}

/** Cloudflare answers an unknown route with 400 and code 7000; the double adds what to do about it. */
export function noRoute(method: string, path: string): CloudflareError {
  return new CloudflareError(
    400,
    7000,
    `No route for that URI: the Cloudflare double does not serve ${method} ${path}. ` +
      "Record what alchemy sends and teach the double (test/node/rehearsal/cloudflare-double).",
  );
}
