// Handlers for real-time. Every check happens in the Worker before the upgrade reaches the object:
// credentials (401), membership (404), Origin (403); the object redeems the ticket and re-checks
// membership and credential in D1 before it accepts. For an upgrade, refusal.ts turns each of these
// answers (and the object's) into a socket closed with 44xx.
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getConfig } from "../../config/config.ts";
import type { AppEnv } from "../../http/app-env.ts";
import { isAllowedOrigin } from "../../http/cors.ts";
import { apiError } from "../../http/errors.ts";
import { sessionStub } from "../api/session-stub.ts";
import type { SocketPrincipal } from "../object/attachment.ts";
import { isTicketShaped } from "../object/tickets.ts";
import { buildUpgrade } from "../object/upgrade.ts";
import { authorize } from "./access.ts";
import { findSessionRow } from "./index-store.ts";
import { SESSION_ID_PATTERN } from "./schemas.ts";
import { callSession } from "./session-call.ts";
import type { connectRoute, issueTicketRoute } from "./ws.routes.ts";

/** The caller as a socket will carry them: the user and the credential the socket's life is tied to. */
function socketPrincipal(c: Context<AppEnv>): SocketPrincipal {
  return { userId: c.var.user.id, credentialId: c.var.credential.id, expiresAt: c.var.credentialExpiresAt };
}

export const issueTicket: RouteHandler<typeof issueTicketRoute, AppEnv> = async (c) => {
  const access = await authorize(c, c.req.valid("param").id, "read");
  const { ticket, expiresAt } = await callSession(c, access, (stub) =>
    stub.issueTicket({ ...socketPrincipal(c), role: access.role }),
  );
  c.header("cache-control", "no-store");
  return c.json({ ticket, expiresAt: new Date(expiresAt).toISOString() }, 201);
};

/**
 * Browsers send Origin on upgrades; other clients don't, and are not subject to it. A page served by
 * this Worker (the console) is same-origin: cross-site WebSocket hijacking cannot come from there.
 */
function checkOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("origin");
  if (origin === undefined || origin === new URL(c.req.url).origin) return;
  if (!isAllowedOrigin(getConfig(c.env).CORS_ORIGINS, origin)) {
    throw apiError("origin_not_allowed");
  }
}

/**
 * A Durable Object's `fetch` answers with immutable headers, which the middleware that runs after the
 * handler (secure headers, request id) must still set: hand on a copy (the socket goes with it).
 */
async function fromObject(answer: Promise<Response>): Promise<Response> {
  const res = await answer;
  return new Response(res.body, res);
}

export const connect: RouteHandler<typeof connectRoute, AppEnv> = async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw apiError("upgrade_required");
  }
  checkOrigin(c);
  const { id } = c.req.valid("param");
  const { ticket, since } = c.req.valid("query");
  if (ticket !== undefined) {
    // The ticket was issued to a member; D1 still decides the session exists before the object is touched.
    if (!SESSION_ID_PATTERN.test(id) || !(await findSessionRow(c.env.DB, id)))
      throw apiError("not_found", { message: "No such session." });
    // Checked here too: the object gets the ticket in a header, which cannot carry every string.
    if (!isTicketShaped(ticket)) {
      throw apiError("invalid_ticket");
    }
    return fromObject(sessionStub(c.env, id).fetch(buildUpgrade({ ticket }, since))) as never;
  }
  await authorize(c, id, "read");
  // The object checks membership and credential again in D1, with no cache, before it accepts.
  return fromObject(sessionStub(c.env, id).fetch(buildUpgrade({ principal: socketPrincipal(c) }, since))) as never;
};

/** The upgrade route's full path (the router is mounted under /v1), and nothing else. */
const UPGRADE_PATH = /^\/v1\/sessions\/[^/]+\/ws$/;

/**
 * `requireAuth` is skipped for an upgrade that carries a ticket: the ticket is the credential. Only
 * on the upgrade route itself: any other path ending in /ws (GET /v1/sessions/ws) keeps its gate.
 */
export function isTicketUpgrade(c: Context): boolean {
  return c.req.method === "GET" && UPGRADE_PATH.test(c.req.path) && c.req.query("ticket") !== undefined;
}
