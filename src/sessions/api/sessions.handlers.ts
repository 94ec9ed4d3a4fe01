// Handlers for sessions themselves. Create and delete keep D1 and the object consistent: each step
// is ordered so that a failure half-way leaves a state the next call repairs or completes.
import type { RouteHandler } from "@hono/zod-openapi";
import { getConfig } from "../../config/config.ts";
import type { AppEnv } from "../../http/app-env.ts";
import { apiError } from "../../http/errors.ts";
import { toBase64Url } from "../../shared/bytes.ts";
import { log } from "../../shared/log.ts";
import { sessionStub, unwrap } from "../api/session-stub.ts";
import { EXPORT_FORMAT } from "../object/export-stream.ts";
import { authorize, authorizeOwnerIncludingDeleted, forgetMembership, rememberOwner } from "./access.ts";
import { decodeActivityCursor, encodeActivityCursor } from "./cursors.ts";
import { deleteSessionRow, insertSession, listSessionsForUser, markSessionDeleted } from "./index-store.ts";
import { presentSession, presentSummary } from "./present.ts";
import { callSession } from "./session-call.ts";
import type {
  createSessionRoute,
  deleteSessionRoute,
  exportSessionRoute,
  getSessionRoute,
  listSessionsRoute,
  patchSessionRoute,
} from "./sessions.routes.ts";

/** 128 random bits, base64url: unguessable, and the object's name. */
function newSessionId(): string {
  return `ses_${toBase64Url(crypto.getRandomValues(new Uint8Array(16)))}`;
}

export const createSession: RouteHandler<typeof createSessionRoute, AppEnv> = async (c) => {
  const { title, metadata } = c.req.valid("json");
  const ownerId = c.var.user.id;
  const id = newSessionId();
  // The index row first: an object is only ever created for a session D1 knows about. If the
  // object's init fails transiently, the next call through callSession() initialises it.
  const now = Date.now();
  const maxOwned = getConfig(c.env).QUOTA_SESSIONS_PER_USER;
  if (!(await insertSession(c.env.DB, { id, ownerId, title: title ?? null, now }, maxOwned))) {
    throw apiError("session_limit", { message: `You own ${maxOwned} sessions, the most allowed; delete one first.` });
  }
  const stub = sessionStub(c.env, id);
  const result = await stub.initSession({ id, ownerId, title, metadata, createdAt: now });
  if (!result.ok) {
    // Rejected input (e.g. metadata over the limit) must leave nothing behind.
    await deleteSessionRow(c.env.DB, id);
    unwrap(result);
  }
  const { session } = unwrap(result);
  rememberOwner(id, ownerId, session.title);
  log("info", "session_created", { requestId: c.get("requestId"), sessionId: id, userId: ownerId });
  return c.json({ session: presentSession(session, "owner") }, 201);
};

export const listSessions: RouteHandler<typeof listSessionsRoute, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const after = cursor === undefined ? null : decodeActivityCursor(cursor);
  const rows = await listSessionsForUser(c.env.DB, c.var.user.id, limit + 1, after);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeActivityCursor({ lastActivityAt: last.last_activity_at, id: last.id }) : null;
  return c.json({ items: page.map(presentSummary), nextCursor }, 200);
};

export const getSession: RouteHandler<typeof getSessionRoute, AppEnv> = async (c) => {
  const access = await authorize(c, c.req.valid("param").id, "read");
  const info = await callSession(c, access, (stub) => stub.getSessionMeta());
  return c.json({ session: presentSession(info, access.role) }, 200);
};

export const patchSession: RouteHandler<typeof patchSessionRoute, AppEnv> = async (c) => {
  const access = await authorize(c, c.req.valid("param").id, "write");
  const patch = c.req.valid("json");
  const info = await callSession(c, access, (stub) => stub.setSessionMeta(patch));
  return c.json({ session: presentSession(info, access.role) }, 200);
};

export const deleteSession: RouteHandler<typeof deleteSessionRoute, AppEnv> = async (c) => {
  const sessionId = c.req.valid("param").id;
  await authorizeOwnerIncludingDeleted(c, sessionId);
  // 1. Tombstone: the session vanishes from lists and access checks at once, yet the owner can
  //    retry if a later step fails. 2. Erase the object (its sockets close). 3. Drop the index row.
  await markSessionDeleted(c.env.DB, sessionId, Date.now());
  forgetMembership(sessionId);
  const erased = await sessionStub(c.env, sessionId).destroySession();
  if (!erased.ok && erased.error.code !== "session_not_found") unwrap(erased);
  await deleteSessionRow(c.env.DB, sessionId);
  log("info", "session_deleted", { requestId: c.get("requestId"), sessionId, userId: c.var.user.id });
  return c.body(null, 204);
};

export const exportSession: RouteHandler<typeof exportSessionRoute, AppEnv> = async (c) => {
  const sessionId = c.req.valid("param").id;
  const access = await authorize(c, sessionId, "read");
  const stream = await callSession(c, access, (stub) => stub.exportSession());
  // A stream has no schema to check against; the route documents it as NDJSON.
  return c.body(stream, 200, {
    "content-type": "application/x-ndjson; charset=utf-8",
    "content-disposition": `attachment; filename="${sessionId}.ndjson"`,
    "x-export-format": String(EXPORT_FORMAT),
  }) as never;
};
