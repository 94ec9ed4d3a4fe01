// Worker side of "sockets follow access": tells session objects at once when a membership or a
// credential changes. Each object's periodic D1 re-check is the backstop if a call here fails.
import { log } from "../../shared/log.ts";
import { sessionStub } from "../api/session-stub.ts";
import type { Role } from "../model.ts";
import { listMembershipSessionIds } from "./index-store.ts";

type Bindings = { SESSIONS: DurableObjectNamespace; DB: D1Database };

/** Calls in flight at once when one credential's sessions are told (bounds the Worker's subrequests). */
const FAN_OUT_CONCURRENCY = 6;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * After the D1 write: the member's sockets close (role null) or take the new role before the route
 * answers. A failure does not undo the committed change; it is logged, and the object's re-check
 * applies it within WS_ACCESS_RECHECK_SECONDS.
 */
export async function pushMemberRole(env: Bindings, sessionId: string, userId: string, role: Role | null) {
  try {
    await sessionStub(env, sessionId).applyMemberRole(userId, role);
  } catch (error) {
    log("warn", "socket_access_push_failed", { sessionId, userId, error: message(error) });
  }
}

/**
 * After credentials are revoked: every session the user belongs to closes the sockets opened with
 * them. One indexed D1 read, then one call per membership and credential. Meant for `waitUntil`: it
 * finishes shortly after the response; the re-check bounds it if it cannot.
 */
export async function disconnectCredentials(
  env: Bindings,
  userId: string,
  credentialIds: readonly string[],
): Promise<void> {
  if (credentialIds.length === 0) return;
  const sessionIds = await listMembershipSessionIds(env.DB, userId);
  const calls = sessionIds.flatMap((sessionId) => credentialIds.map((credentialId) => ({ sessionId, credentialId })));
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const { sessionId, credentialId } = calls[next++] as (typeof calls)[number];
      try {
        await sessionStub(env, sessionId).endCredentialSockets(credentialId);
      } catch (error) {
        log("warn", "socket_credential_push_failed", { sessionId, credentialId, error: message(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FAN_OUT_CONCURRENCY, calls.length) }, worker));
}
