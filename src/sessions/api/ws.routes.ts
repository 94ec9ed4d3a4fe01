// Route definitions for real-time: a WebSocket ticket, and the upgrade itself.
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED, errorResponses } from "../../http/error-schema.ts";
import { BEARER } from "../../http/openapi.ts";
import { SESSION_OBJECT } from "./error-responses.ts";
import { SessionIdParam } from "./schemas.ts";

export const TicketResponse = z
  .object({
    ticket: z.string().openapi({ description: "Single use; pass as `?ticket=` on the upgrade", example: "swt_…" }),
    expiresAt: z.iso.datetime(),
  })
  .openapi("WebSocketTicket");

export const issueTicketRoute = createRoute({
  method: "post",
  path: "/sessions/{id}/ws-ticket",
  operationId: "issueWebSocketTicket",
  tags: ["real-time"],
  summary: "A single-use ticket (at most 60 s) for a browser's WebSocket upgrade",
  security: BEARER,
  request: { params: SessionIdParam },
  responses: {
    201: { description: "Issued", content: { "application/json": { schema: TicketResponse } } },
    ...errorResponses(...AUTHENTICATED, "not_found", ...SESSION_OBJECT),
  },
});

export const ConnectQuery = z.object({
  ticket: z.string().max(100).optional().openapi({ description: "From POST …/ws-ticket; or send a bearer token" }),
  since: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ type: "integer", minimum: 0, description: "Replay messages after this seq before live events" }),
});

export const connectRoute = createRoute({
  method: "get",
  path: "/sessions/{id}/ws",
  operationId: "connectWebSocket",
  tags: ["real-time"],
  summary: "Upgrade to the session's WebSocket (protocol: src/sessions/protocol.ts)",
  description:
    "Authenticate with `?ticket=` (browsers) or `Authorization: Bearer` (other clients). A refused " +
    "upgrade is still answered with 101, because browsers cannot read a failed handshake's status: the " +
    "socket carries one `error` frame (`{ v, type: 'error', code, message }`, the HTTP error's code) and " +
    "closes at once with 4000 + the HTTP status: 4401 credentials or ticket invalid, expired or used; " +
    "4403 Origin not allowed or no access; 4404 no such session (or not a member); 4422 invalid query. " +
    "1011 is a server error (retry). Close codes on an open socket: 1008 policy (rate, per-user or " +
    "per-session socket limit), 1009 frame too large, 4004 session deleted, 4401 the credential the " +
    "socket was opened with was revoked or expired, 4403 no longer a member (docs/security.md). " +
    "Membership, role and credential are checked in D1 at the upgrade itself. Every 4xxx code but 4429 " +
    "is final: do not reconnect. A request that is not an upgrade gets a plain 426.",
  security: [...BEARER, {}],
  request: { params: SessionIdParam, query: ConnectQuery },
  responses: {
    101: { description: "Switching protocols: the live socket, or a refusal closed at once with 44xx" },
    // Only for requests that are not upgrades: an upgrade hears every refusal as a close code.
    ...errorResponses(...AUTHENTICATED, "validation_failed", "upgrade_required"),
  },
});
