// Calls a session's Durable Object once access is granted, repairing an interrupted create on the way.
import type { Context } from "hono";
import type { AppEnv } from "../../http/app-env.ts";
import { apiError } from "../../http/errors.ts";
import { type SessionStub, sessionStub, unwrap } from "../api/session-stub.ts";
import type { Result } from "../object/result.ts";
import { type Access, forgetMembership } from "./access.ts";
import { findSessionRow } from "./index-store.ts";

/**
 * Runs `op` against the session's object. If the object is empty although D1 lists the session as
 * live, the create that should have initialised it was interrupted: initialise it from the index
 * row and run `op` again. An index row marked deleted, or gone, is a 404 and never re-creates data.
 */
export async function callSession<T>(
  c: Context<AppEnv>,
  access: Access,
  op: (stub: SessionStub) => Promise<Result<T>>,
): Promise<T> {
  const stub = sessionStub(c.env, access.sessionId);
  const result = await op(stub);
  if (result.ok || result.error.code !== "session_not_found") return unwrap(result);

  const row = await findSessionRow(c.env.DB, access.sessionId);
  if (!row) {
    forgetMembership(access.sessionId);
    throw apiError("not_found", { message: "No such session." });
  }
  const { id, owner_id: ownerId, title, created_at: createdAt } = row;
  unwrap(await stub.initSession({ id, ownerId, createdAt, ...(title ? { title } : {}) }));
  return unwrap(await op(stub));
}
