// The credentials table: login tokens and API keys, stored as SHA-256 hashes with a display prefix.
import type { ApiKeyCursor } from "./api-key-cursor.ts";
import type { Principal } from "./principal.ts";
import { type CredentialKind, issueToken } from "./tokens.ts";

export interface NewCredential {
  id: string;
  userId: string;
  kind: CredentialKind;
  name: string | null;
  hash: string;
  displayPrefix: string;
  now: number;
  expiresAt: number | null;
  /** The browser or client a login token was issued to (trimmed), to recognise it in a list. */
  userAgent: string | null;
}

/** Enough to recognise a browser or tool; the rest of a long User-Agent says nothing more. */
const USER_AGENT_MAX_LENGTH = 256;

export function userAgentOf(request: Request): string | null {
  const value = request.headers.get("user-agent")?.trim();
  return value ? value.slice(0, USER_AGENT_MAX_LENGTH) : null;
}

const DAY_MS = 86_400_000;

/** A fresh secret and the row that stores its hash; the token itself is returned to the caller once. */
export async function newCredential(input: {
  userId: string;
  kind: CredentialKind;
  name: string | null;
  /** Null for a credential that never expires. */
  ttlDays: number | null;
  now: number;
  userAgent?: string | null;
}): Promise<{ token: string; row: NewCredential }> {
  const { token, hash, displayPrefix } = await issueToken(input.kind);
  const { userId, kind, name, ttlDays, now, userAgent = null } = input;
  const expiresAt = ttlDays === null ? null : now + ttlDays * DAY_MS;
  return {
    token,
    row: { id: crypto.randomUUID(), userId, kind, name, hash, displayPrefix, now, expiresAt, userAgent },
  };
}

/** Inserts only if the user row exists, so it can follow a user insert that did nothing in one batch. */
export function insertCredentialStatement(db: D1Database, c: NewCredential): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO credentials (id, user_id, kind, name, secret_hash, prefix, created_at, expires_at, user_agent)
       SELECT ?1, id, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM users WHERE id = ?2`,
    )
    .bind(c.id, c.userId, c.kind, c.name, c.hash, c.displayPrefix, c.now, c.expiresAt, c.userAgent);
}

interface PrincipalRow {
  credential_id: string;
  kind: CredentialKind;
  expires_at: number | null;
  last_used_at: number | null;
  user_id: string;
  email: string;
  name: string | null;
}

/** The live credential behind a token hash (one indexed lookup), or null if unknown, revoked or expired. */
export async function findPrincipalByHash(
  db: D1Database,
  hash: string,
  now: number,
): Promise<{ principal: Principal; lastUsedAt: number | null } | null> {
  const row = await db
    .prepare(
      `SELECT c.id AS credential_id, c.kind, c.expires_at, c.last_used_at, u.id AS user_id, u.email, u.name
       FROM credentials c JOIN users u ON u.id = c.user_id
       WHERE c.secret_hash = ?1 AND c.revoked_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > ?2)`,
    )
    .bind(hash, now)
    .first<PrincipalRow>();
  if (!row) return null;
  return {
    principal: {
      user: { id: row.user_id, email: row.email, name: row.name },
      credential: { kind: row.kind, id: row.credential_id, hash },
      expiresAt: row.expires_at,
    },
    lastUsedAt: row.last_used_at,
  };
}

/** Skips the write when another isolate recorded a use within the interval. */
export async function touchCredential(db: D1Database, id: string, now: number, intervalMs: number): Promise<void> {
  await db
    .prepare("UPDATE credentials SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at <= ?3)")
    .bind(id, now, now - intervalMs)
    .run();
}

export interface CredentialRow {
  id: string;
  name: string | null;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  user_agent: string | null;
}

/**
 * One page of the user's unrevoked credentials of one kind, newest first, keyset-paginated on
 * (created_at, id) through `credentials_by_user_kind`: each page is an index range read, however
 * many came before it. `liveAt` also leaves out those expired at that time.
 */
export async function listCredentials(
  db: D1Database,
  query: { userId: string; kind: CredentialKind; limit: number; after: ApiKeyCursor | null; liveAt?: number },
): Promise<CredentialRow[]> {
  const { userId, kind, limit, after, liveAt } = query;
  const keyset = after ? "AND (created_at, id) < (?5, ?6)" : "";
  const params: unknown[] = [userId, kind, limit, liveAt ?? null];
  if (after) params.push(after.createdAt, after.id);
  const { results } = await db
    .prepare(
      `SELECT id, name, prefix, created_at, last_used_at, expires_at, user_agent FROM credentials
       WHERE user_id = ?1 AND kind = ?2 AND revoked_at IS NULL
         AND (?4 IS NULL OR expires_at IS NULL OR expires_at > ?4) ${keyset}
       ORDER BY created_at DESC, id DESC LIMIT ?3`,
    )
    .bind(...params)
    .all<CredentialRow>();
  return results;
}
