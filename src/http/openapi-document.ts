// The OpenAPI document as served: generated from the routes, then finished in one place with what
// every operation shares (tags, the x-request-id header) and the limits this deployment enforces.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { SessionLimits } from "../config/session-limits.ts";
import type { AppEnv } from "./app-env.ts";

/** The variables whose configured value a schema states (`x-configured-by`), and the keyword it sets. */
const CONFIGURED = {
  SESSION_MAX_TITLE_LENGTH: { keyword: "maxLength", value: (limits: SessionLimits) => limits.titleLength },
  SESSION_MAX_PAGE_SIZE: { keyword: "maximum", value: (limits: SessionLimits) => limits.pageSize },
} as const;

export type ConfiguredLimit = keyof typeof CONFIGURED;

/**
 * Schema metadata for a limit set by a Worker variable: the served document carries the value this
 * deployment enforces, so the document and the server cannot disagree. The zod schema keeps the
 * variable's upper bound as the edge check; the session object enforces the configured value.
 */
export const configuredBy = (variable: ConfiguredLimit) => ({ "x-configured-by": variable }) as const;

export const API_TAGS = [
  { name: "auth", description: "Accounts, login tokens and passwords" },
  { name: "api keys", description: "Long-lived keys for machines and agents" },
  { name: "sessions", description: "Sessions: one Durable Object each, owned by their creator" },
  { name: "messages", description: "A session's append-only message log" },
  { name: "tasks", description: "A session's task list" },
  { name: "members", description: "Sharing a session: editors and viewers" },
  { name: "real-time", description: "A session's WebSocket (docs: the protocol in src/sessions/protocol.ts)" },
  { name: "meta", description: "Liveness and release information" },
];

const REQUEST_ID_HEADER = {
  description: "Your `x-request-id` if it was 1 to 255 of `[A-Za-z0-9_=-]`, else a new one; logs carry it",
  schema: { type: "string" },
};

type Json = { [key: string]: unknown };

function applyLimits(node: unknown, limits: SessionLimits): void {
  if (Array.isArray(node)) {
    for (const item of node) applyLimits(item, limits);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const object = node as Json;
  const variable = object["x-configured-by"] as ConfiguredLimit | undefined;
  if (variable !== undefined) {
    const { keyword, value } = CONFIGURED[variable];
    object[keyword] = value(limits);
  }
  for (const child of Object.values(object)) applyLimits(child, limits);
}

function addRequestIdHeader(paths: Json): void {
  for (const item of Object.values(paths) as Json[]) {
    for (const operation of Object.values(item) as { responses?: Record<string, { headers?: Json }> }[]) {
      for (const response of Object.values(operation.responses ?? {})) {
        response.headers = { ...response.headers, "x-request-id": REQUEST_ID_HEADER };
      }
    }
  }
}

export function openApiDocument(app: OpenAPIHono<AppEnv>, limits: SessionLimits) {
  const document = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Stateful Workers API",
      version: "1",
      description:
        "Every error is `{ error: { code, message, details? } }` with a code from docs/errors.md. Any path " +
        "answers a method it does not take with 405 `method_not_allowed` and an `Allow` header.",
      license: { name: "MIT", url: "https://opensource.org/license/mit" },
    },
    // Relative: the origin that serves this document (a stage's workers.dev name, a custom domain, dev).
    servers: [{ url: "/", description: "This deployment" }],
    tags: API_TAGS,
  });
  applyLimits(document, limits);
  addRequestIdHeader(document.paths as Json);
  return document;
}
