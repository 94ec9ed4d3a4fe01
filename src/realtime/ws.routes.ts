// Route definitions for real-time: a WebSocket ticket, and the upgrade itself.
import { createRoute, z } from "@hono/zod-openapi";
import { BEARER } from "../auth/auth.routes.ts";
import { errorResponses } from "../http/error-schema.ts";
import { SessionIdParam } from "../sessions/schemas.ts";

export const TicketResponse = z
  .object({
    ticket: z.string().openapi({ description: "Single use; pass as `?ticket=` on the upgrade", example: "swt_…" }),
    expiresAt: z.iso.datetime(),
  })
  .openapi("WebSocketTicket");

export const issueTicketRoute = createRoute({
  method: "post",
  path: "/sessions/{id}/ws-ticket",
  tags: ["real-time"],
  summary: "A single-use ticket (at most 60 s) for a browser's WebSocket upgrade",
  security: BEARER,
  request: { params: SessionIdParam },
  responses: {
    201: { description: "Issued", content: { "application/json": { schema: TicketResponse } } },
    ...errorResponses(401, 404),
  },
});

export const ConnectQuery = z.object({
  ticket: z.string().max(100).optional().openapi({ description: "From POST …/ws-ticket; or send a bearer token" }),
  since: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: "Replay messages after this seq before live events" }),
});

export const connectRoute = createRoute({
  method: "get",
  path: "/sessions/{id}/ws",
  tags: ["real-time"],
  summary: "Upgrade to the session's WebSocket (protocol: src/realtime/protocol.ts)",
  description:
    "Authenticate with `?ticket=` (browsers) or `Authorization: Bearer` (other clients). Close codes: " +
    "1008 policy (rate, per-user or per-session socket limit), 1009 frame too large, 4004 session deleted, " +
    "4401 the credential the socket was opened with was revoked or expired, 4403 no longer a member " +
    "(docs/security.md). Membership, role and credential are checked in D1 at the upgrade itself.",
  security: [...BEARER, {}],
  request: { params: SessionIdParam, query: ConnectQuery },
  responses: {
    101: { description: "Switching protocols" },
    426: { description: "Not a WebSocket upgrade (`upgrade_required`)" },
    ...errorResponses(401, 403, 404, 422),
  },
});
