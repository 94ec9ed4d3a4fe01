// The D1 reads behind socket access: a socket opens, and stays open, only on what D1 says now.

import type { Role } from "../model.ts";
import type { SocketPrincipal } from "./attachment.ts";

export type Admission =
  | { ok: true; role: Role }
  | { ok: false; reason: "not_member" }
  | { ok: false; reason: "credential_ended" };

/** A credential row counts while it is neither revoked nor expired (the same test the bearer gate makes). */
const liveCredential = (nowParam: string) =>
  `c.revoked_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > ${nowParam})`;

/**
 * One indexed read at upgrade time: the user's current role in a live session, and whether the
 * credential behind the upgrade (or behind the ticket) still works. Nothing here is cached.
 */
export async function admission(
  db: D1Database,
  sessionId: string,
  principal: SocketPrincipal,
  now: number,
): Promise<Admission> {
  const row = await db
    .prepare(
      `SELECT m.role,
         (?3 IS NULL OR EXISTS (SELECT 1 FROM credentials c WHERE c.id = ?3 AND c.user_id = ?2 AND ${liveCredential("?4")})) AS credential_live
       FROM session_members m JOIN sessions s ON s.id = m.session_id
       WHERE m.session_id = ?1 AND m.user_id = ?2 AND s.deleted_at IS NULL`,
    )
    .bind(sessionId, principal.userId, principal.credentialId, now)
    .first<{ role: Role; credential_live: number }>();
  if (!row) return { ok: false, reason: "not_member" };
  if (!row.credential_live) return { ok: false, reason: "credential_ended" };
  return { ok: true, role: row.role };
}

export interface SessionAccess {
  /** Every current member's role; empty once the session is deleted (or being deleted). */
  roles: Map<string, Role>;
  /** Those of the asked-for credential ids that still work. */
  liveCredentials: Set<string>;
}

/**
 * The periodic re-check: one D1 batch (one round trip) of two indexed reads, whatever the number of
 * sockets: the session's members (at most MAX_MEMBERS_PER_SESSION rows, by primary key) and the
 * live ones among the sockets' credentials (primary-key lookups, the ids passed as one JSON array so
 * D1's bound-parameter limit never applies).
 */
export async function sessionAccess(
  db: D1Database,
  sessionId: string,
  credentialIds: readonly string[],
  now: number,
): Promise<SessionAccess> {
  const [members, credentials] = await db.batch([
    db
      .prepare(
        `SELECT m.user_id, m.role FROM session_members m JOIN sessions s ON s.id = m.session_id
         WHERE m.session_id = ?1 AND s.deleted_at IS NULL`,
      )
      .bind(sessionId),
    db
      .prepare(
        `SELECT c.id FROM credentials c WHERE c.id IN (SELECT value FROM json_each(?1)) AND ${liveCredential("?2")}`,
      )
      .bind(JSON.stringify(credentialIds), now),
  ]);
  const roles = new Map<string, Role>();
  for (const row of (members?.results ?? []) as { user_id: string; role: Role }[]) roles.set(row.user_id, row.role);
  const live = new Set<string>();
  for (const row of (credentials?.results ?? []) as { id: string }[]) live.add(row.id);
  return { roles, liveCredentials: live };
}
