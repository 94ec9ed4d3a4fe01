// The session routes' error responses: the shared ones, described with the codes these routes add.
import { type ErrorStatus, errorResponses } from "../http/error-schema.ts";

/** Statuses whose shared description names codes (auth's) that these routes never send. */
export const SESSION_ERRORS = {
  400: "Malformed JSON, or a cursor this API did not issue (`bad_request`)",
  403: "Your role in the session cannot do this (`forbidden`)",
  404: "No such session, or not yours to see (`not_found`)",
} satisfies Partial<Record<ErrorStatus, string>>;

/** Where a body carries metadata, the object may refuse it too. */
export const METADATA_413 =
  "Body larger than MAX_BODY_BYTES (`payload_too_large`), or metadata over SESSION_MAX_METADATA_BYTES (`metadata_too_large`)";

/** `errorResponses(...statuses)` with session wording, and `overrides` where a route sends more. */
export function sessionErrors<S extends ErrorStatus>(statuses: S[], overrides: Partial<Record<S, string>> = {}) {
  const responses = errorResponses(...statuses);
  const described: Partial<Record<ErrorStatus, string>> = { ...SESSION_ERRORS, ...overrides };
  for (const status of statuses) {
    const description = described[status];
    if (description !== undefined) responses[status] = { ...responses[status], description };
  }
  return responses;
}
