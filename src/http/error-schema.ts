// The error model as an OpenAPI schema, and each route's error responses generated from the error
// catalogue: a route names the codes it can send; statuses, descriptions, headers and examples follow.
import { z } from "@hono/zod-openapi";
import { errorBody } from "../errors/body.ts";
import {
  ERROR_CATALOGUE,
  ERROR_CODES,
  ERROR_HEADERS,
  type ErrorHeader,
  errorDefinition,
  errorStatus,
  type HttpErrorCode,
  type StatusOf,
} from "../errors/catalogue.ts";

const HTTP_ERROR_CODES = ERROR_CODES.filter((code): code is HttpErrorCode => "status" in ERROR_CATALOGUE[code]);

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z
        .enum(HTTP_ERROR_CODES as [HttpErrorCode, ...HttpErrorCode[]])
        .openapi({ description: "Stable, machine-readable (docs/errors.md)", example: "validation_failed" }),
      message: z.string().openapi({ example: "The request did not pass validation." }),
      details: z.unknown().optional().openapi({ description: "Field-level problems for 422; facts for some others" }),
    }),
  })
  .openapi("Error");

/** Codes every route behind the bearer gate can send (an identity-provider token may fail to link on first use). */
export const AUTHENTICATED = ["unauthorized", "email_not_verified", "identity_conflict"] as const;
/** Codes every route with a JSON body can send, before its handler runs. */
export const JSON_BODY = ["bad_request", "payload_too_large", "unsupported_media_type", "validation_failed"] as const;

type ErrorResponse = {
  description: string;
  headers?: Record<string, { description: string; schema: { type: "string" } | { type: "integer" } }>;
  content: {
    "application/json": {
      schema: typeof ErrorSchema;
      examples: Record<string, { summary: string; value: unknown }>;
    };
  };
};

const headerSchema = (name: ErrorHeader) =>
  name === "Retry-After" ? { type: "integer" as const } : { type: "string" as const };

/** `responses` entries for the codes a route can send, grouped by status, all in the one error model. */
export function errorResponses<C extends HttpErrorCode>(...codes: readonly C[]): Record<StatusOf<C>, ErrorResponse> {
  const responses: Record<number, ErrorResponse> = {};
  for (const code of new Set(codes)) {
    const { description, headers = [] } = errorDefinition(code);
    const status = errorStatus(code);
    const response = responses[status] ?? {
      description: "",
      content: { "application/json": { schema: ErrorSchema, examples: {} } },
    };
    responses[status] = response;
    response.description += `${response.description ? "\n" : ""}- \`${code}\`: ${description}`;
    response.content["application/json"].examples[code] = { summary: code, value: errorBody(code) };
    for (const name of headers) {
      response.headers = {
        ...response.headers,
        [name]: { description: ERROR_HEADERS[name].description, schema: headerSchema(name) },
      };
    }
  }
  return responses as Record<StatusOf<C>, ErrorResponse>;
}
