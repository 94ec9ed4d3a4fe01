// The error model as an OpenAPI schema, and the error responses routes declare with it.
import { z } from "@hono/zod-openapi";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string().openapi({ example: "The request did not pass validation." }),
      details: z.unknown().optional().openapi({ description: "Field-level problems for 422" }),
    }),
  })
  .openapi("Error");

const DESCRIPTIONS = {
  400: "Malformed JSON or a bad cursor (`bad_request`), or not possible for this account (`no_password`, `not_revocable`)",
  401: "Missing, malformed, unknown, expired or revoked credentials (`unauthorized`), with `WWW-Authenticate: Bearer`",
  403: "Not allowed (`forbidden`, `signup_disabled`, `invalid_password`, `email_not_verified`)",
  404: "No such resource (`not_found`)",
  409: "Conflicts with existing data (`email_taken`, `identity_conflict`) or a quota is reached (`session_limit`, `api_key_limit`, `member_limit`)",
  413: "Body larger than MAX_BODY_BYTES (`payload_too_large`)",
  415: "Body is not `application/json` (`unsupported_media_type`)",
  422: "Validation failed (`validation_failed`), with field-level `details`",
  429: "Too many attempts (`rate_limited`), with `Retry-After`",
} as const;

export type ErrorStatus = keyof typeof DESCRIPTIONS;

/** `responses` entries for the given statuses, all rendered in the one error model. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: DESCRIPTIONS[status], content: { "application/json": { schema: ErrorSchema } } },
    ]),
  ) as unknown as Record<S, { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }>;
}
