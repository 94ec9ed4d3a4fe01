// Keeps every open socket within the access its user has now: closes sockets whose membership or
// credential ended, re-roles the rest. Driven three ways: at once by the Worker (member removed or
// re-roled, credential revoked), by the shared alarm every recheck interval while sockets are open,
// and at each socket's credential expiry. Bounds and costs: docs/security.md, "Access guarantees".
import { log } from "../../shared/log.ts";
import type { Role } from "../model.ts";
import { CLOSE_CODES, encodeServerFrame } from "../protocol.ts";
import { sessionAccess } from "./access-store.ts";
import type { AlarmClock } from "./alarm-clock.ts";
import { type Attachment, readAttachment } from "./attachment.ts";
import { closeWith, safeSend } from "./frames.ts";

export const closeRemoved = (ws: WebSocket) =>
  closeWith(ws, CLOSE_CODES.accessRevoked, "access_revoked", "You are no longer a member of this session.");

export const closeCredentialEnded = (ws: WebSocket) =>
  closeWith(
    ws,
    CLOSE_CODES.credentialRevoked,
    "credential_revoked",
    "The credential this socket was opened with was revoked or has expired.",
  );

export const hasExpired = (attachment: Attachment, now: number) =>
  attachment.expiresAt !== null && attachment.expiresAt <= now;

export class AccessGuard {
  private readonly ctx: DurableObjectState;
  private readonly db: D1Database;
  private readonly clock: AlarmClock;
  private readonly recheckMs: number;

  constructor(ctx: DurableObjectState, db: D1Database, clock: AlarmClock, recheckMs: number) {
    this.ctx = ctx;
    this.db = db;
    this.clock = clock;
    this.recheckMs = recheckMs;
  }

  /** After a socket opens: a re-check is due within the interval, and its credential's expiry is watched. */
  watch(attachment: Attachment, now = Date.now()): void {
    this.arm(Math.min(now + this.recheckMs, attachment.expiresAt ?? Number.POSITIVE_INFINITY));
  }

  /** The owner changed a member: null closes the user's sockets, a role applies to their next frame. */
  applyRole(userId: string, role: Role | null): number {
    let affected = 0;
    for (const ws of this.ctx.getWebSockets()) {
      const attachment = readAttachment(ws);
      if (attachment.userId !== userId) continue;
      affected += 1;
      if (role === null) closeRemoved(ws);
      else this.reRole(ws, attachment, role);
    }
    return affected;
  }

  /** A credential was revoked: every socket opened with it closes. */
  endCredential(credentialId: string): number {
    let closed = 0;
    for (const ws of this.ctx.getWebSockets()) {
      if (readAttachment(ws).credentialId !== credentialId) continue;
      closeCredentialEnded(ws);
      closed += 1;
    }
    return closed;
  }

  /**
   * The alarm's turn: expired credentials close exactly at expiry; then one D1 batch decides the
   * rest. A failed read keeps the sockets (D1 down must not drop every user) and retries next interval.
   */
  async recheck(sessionId: string, now = Date.now()): Promise<void> {
    const judged = new Map<WebSocket, Attachment>();
    for (const ws of this.ctx.getWebSockets()) {
      const attachment = readAttachment(ws);
      if (hasExpired(attachment, now)) closeCredentialEnded(ws);
      else judged.set(ws, attachment);
    }
    if (judged.size === 0) return;
    const credentialIds = [...new Set([...judged.values()].flatMap((a) => (a.credentialId ? [a.credentialId] : [])))];
    try {
      const access = await sessionAccess(this.db, sessionId, credentialIds, now);
      // Only sockets that were open before the read: one accepted meanwhile was admitted on fresher data.
      for (const [ws, attachment] of judged) {
        const role = access.roles.get(attachment.userId);
        if (role === undefined) closeRemoved(ws);
        else if (attachment.credentialId !== null && !access.liveCredentials.has(attachment.credentialId)) {
          closeCredentialEnded(ws);
        } else this.reRole(ws, attachment, role);
      }
    } catch (error) {
      log("warn", "socket_access_recheck_failed", {
        sessionId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    this.rearm(Date.now());
  }

  /** While sockets stay open, the next re-check (or an earlier expiry) is due. */
  private rearm(now: number): void {
    let due = Number.POSITIVE_INFINITY;
    let open = 0;
    for (const ws of this.ctx.getWebSockets()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      open += 1;
      due = Math.min(due, readAttachment(ws).expiresAt ?? Number.POSITIVE_INFINITY);
    }
    if (open > 0) this.arm(Math.min(due, now + this.recheckMs));
  }

  private reRole(ws: WebSocket, attachment: Attachment, role: Role): void {
    if (attachment.role === role) return;
    ws.serializeAttachment({ ...attachment, role } satisfies Attachment);
    safeSend(ws, encodeServerFrame({ type: "access.changed", role }));
  }

  private arm(at: number): void {
    this.clock.arm(at, (error) =>
      log("error", "socket_access_alarm_failed", { error: error instanceof Error ? error.message : String(error) }),
    );
  }
}
