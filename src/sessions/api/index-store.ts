// D1 queries for the sessions index and its members: bound parameters only, one function per query.
import type { Role } from "../model.ts";

export interface SessionRow {
  id: string;
  owner_id: string;
  title: string | null;
  created_at: number;
  updated_at: number;
  last_message_at: number | null;
  last_activity_at: number;
  message_count: number;
  open_task_count: number;
}

export interface MemberRow {
  user_id: string;
  email: string;
  name: string | null;
  role: Role;
  created_at: number;
}

export interface NewSession {
  id: string;
  ownerId: string;
  title: string | null;
  now: number;
}

/**
 * The index row and the owner's membership, in one batch (a D1 batch is a transaction), unless the
 * owner already has `maxOwned` live sessions: false then, and nothing is written. The count is in
 * the insert itself, so concurrent creates cannot pass the quota together.
 */
export async function insertSession(
  db: D1Database,
  { id, ownerId, title, now }: NewSession,
  maxOwned: number,
): Promise<boolean> {
  const [session] = await db.batch([
    db
      .prepare(
        `INSERT INTO sessions (id, owner_id, title, created_at, updated_at, last_activity_at)
         SELECT ?1, ?2, ?3, ?4, ?4, ?4
         WHERE (SELECT count(*) FROM sessions WHERE owner_id = ?2 AND deleted_at IS NULL) < ?5`,
      )
      .bind(id, ownerId, title, now, maxOwned),
    db
      .prepare(
        `INSERT INTO session_members (session_id, user_id, role, created_at)
         SELECT id, owner_id, 'owner', created_at FROM sessions WHERE id = ?1`,
      )
      .bind(id),
  ]);
  return session?.meta.changes === 1;
}

export interface Membership {
  role: Role;
  ownerId: string;
  title: string | null;
  deleted: boolean;
}

/** The caller's role in a session, including a session whose delete is under way (deleted: true). */
export async function findMembership(db: D1Database, sessionId: string, userId: string): Promise<Membership | null> {
  const row = await db
    .prepare(
      `SELECT m.role, s.owner_id, s.title, s.deleted_at FROM session_members m
       JOIN sessions s ON s.id = m.session_id WHERE m.session_id = ?1 AND m.user_id = ?2`,
    )
    .bind(sessionId, userId)
    .first<{ role: Role; owner_id: string; title: string | null; deleted_at: number | null }>();
  if (!row) return null;
  return { role: row.role, ownerId: row.owner_id, title: row.title, deleted: row.deleted_at !== null };
}

export interface ActivityCursor {
  lastActivityAt: number;
  id: string;
}

/** The caller's own and shared sessions, most recent activity first, keyset-paginated. */
export async function listSessionsForUser(
  db: D1Database,
  userId: string,
  limit: number,
  after: ActivityCursor | null,
): Promise<(SessionRow & { role: Role })[]> {
  const keyset = after ? "AND (s.last_activity_at < ?2 OR (s.last_activity_at = ?2 AND s.id < ?3))" : "";
  const { results } = await db
    .prepare(
      `SELECT s.id, s.owner_id, s.title, s.created_at, s.updated_at, s.last_message_at, s.last_activity_at,
              s.message_count, s.open_task_count, m.role
       FROM session_members m JOIN sessions s ON s.id = m.session_id
       WHERE m.user_id = ?1 AND s.deleted_at IS NULL ${keyset}
       ORDER BY s.last_activity_at DESC, s.id DESC LIMIT ?4`,
    )
    // Numbered, so the keyset's two unused parameters on a first page are simply null.
    .bind(userId, after?.lastActivityAt ?? null, after?.id ?? null, limit)
    .all<SessionRow & { role: Role }>();
  return results;
}

export async function findSessionRow(db: D1Database, sessionId: string): Promise<SessionRow | null> {
  return db
    .prepare(
      `SELECT id, owner_id, title, created_at, updated_at, last_message_at, last_activity_at, message_count,
              open_task_count FROM sessions WHERE id = ?1 AND deleted_at IS NULL`,
    )
    .bind(sessionId)
    .first<SessionRow>();
}

/** Step one of a delete: hidden from every list and access check, but still retryable by its owner. */
export async function markSessionDeleted(db: D1Database, sessionId: string, now: number): Promise<void> {
  await db
    .prepare("UPDATE sessions SET deleted_at = ?1 WHERE id = ?2 AND deleted_at IS NULL")
    .bind(now, sessionId)
    .run();
}

/** Last step of a delete (members go with it: ON DELETE CASCADE). */
export async function deleteSessionRow(db: D1Database, sessionId: string): Promise<void> {
  await db.prepare("DELETE FROM sessions WHERE id = ?1").bind(sessionId).run();
}

export async function listMembers(db: D1Database, sessionId: string): Promise<MemberRow[]> {
  const { results } = await db
    .prepare(
      `SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM session_members m
       JOIN users u ON u.id = m.user_id WHERE m.session_id = ?1 ORDER BY m.created_at, m.user_id`,
    )
    .bind(sessionId)
    .all<MemberRow>();
  return results;
}

export type AddMemberOutcome = "added" | "already_member" | "member_limit";

/**
 * Inserts a member unless the session already holds `maxMembers` (its owner included) or the user is
 * one already. The count and the insert are one statement, so concurrent adds cannot overshoot.
 */
export async function addMember(
  db: D1Database,
  sessionId: string,
  userId: string,
  role: Exclude<Role, "owner">,
  now: number,
  maxMembers: number,
): Promise<AddMemberOutcome> {
  const result = await db
    .prepare(
      `INSERT INTO session_members (session_id, user_id, role, created_at)
       SELECT ?1, ?2, ?3, ?4
       WHERE (SELECT COUNT(*) FROM session_members WHERE session_id = ?1) < ?5
       ON CONFLICT (session_id, user_id) DO NOTHING`,
    )
    .bind(sessionId, userId, role, now, maxMembers)
    .run();
  if (result.meta.changes === 1) return "added";
  const existing = await db
    .prepare("SELECT 1 AS one FROM session_members WHERE session_id = ?1 AND user_id = ?2")
    .bind(sessionId, userId)
    .first();
  return existing ? "already_member" : "member_limit";
}

/** Removes a non-owner member; false when there was no such member. */
export async function removeMember(db: D1Database, sessionId: string, userId: string): Promise<boolean> {
  const result = await db
    .prepare("DELETE FROM session_members WHERE session_id = ?1 AND user_id = ?2 AND role <> 'owner'")
    .bind(sessionId, userId)
    .run();
  return result.meta.changes === 1;
}

/**
 * Sets a non-owner member's role and returns the member as listed, in one batch (a transaction).
 * `null` when the user is not a member; the row with role `owner` (unchanged) when they own the session.
 */
export async function setMemberRole(
  db: D1Database,
  sessionId: string,
  userId: string,
  role: Exclude<Role, "owner">,
): Promise<MemberRow | null> {
  const [, member] = await db.batch([
    db
      .prepare("UPDATE session_members SET role = ?1 WHERE session_id = ?2 AND user_id = ?3 AND role <> 'owner'")
      .bind(role, sessionId, userId),
    db
      .prepare(
        `SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM session_members m
         JOIN users u ON u.id = m.user_id WHERE m.session_id = ?1 AND m.user_id = ?2`,
      )
      .bind(sessionId, userId),
  ]);
  return (member?.results[0] as MemberRow | undefined) ?? null;
}

/** Every session the user belongs to (for reaching their sockets when a credential of theirs is revoked). */
export async function listMembershipSessionIds(db: D1Database, userId: string): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT session_id FROM session_members WHERE user_id = ?1")
    .bind(userId)
    .all<{ session_id: string }>();
  return results.map((row) => row.session_id);
}
