// Minting an API key: within the user's key quota, and never outliving the credential that asks.
import type { NewCredential } from "./credentials.ts";

export interface MintOptions {
  /**
   * The credential presenting the request, which becomes the key's parent: the key expires no later
   * than it and is revoked with it. Null when the request proved the user's identity itself (the
   * current password, or an identity-provider token): then the key is a root, like a login token.
   */
  parentId: string | null;
  /** Live (unrevoked, unexpired) API keys a user may hold. */
  maxKeys: number;
}

export type MintResult = { ok: true; expiresAt: number | null } | { ok: false; reason: "quota" | "parent_gone" };

/** A user's live API keys, as counted against the quota, given the placeholders of user id and now. */
const liveKeys = (userId: string, now: string) => `(SELECT count(*) FROM credentials
  WHERE user_id = ${userId} AND kind = 'api_key' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${now}))`;
const LIVE_KEYS = liveKeys("?2", "?7");

/**
 * One INSERT … SELECT, so the quota and the parent's liveness are checked in the same write as the
 * insert: two concurrent mints cannot both take the last slot, and a parent revoked a moment
 * earlier mints nothing (one revoked a moment later takes the child with it).
 */
export async function mintApiKey(db: D1Database, row: NewCredential, options: MintOptions): Promise<MintResult> {
  const columns = "id, user_id, kind, name, secret_hash, prefix, created_at, expires_at, parent_id";
  const statement =
    options.parentId === null
      ? db.prepare(
          `INSERT INTO credentials (${columns})
           SELECT ?1, u.id, 'api_key', ?3, ?4, ?5, ?7, ?6, NULL FROM users u
           WHERE u.id = ?2 AND ${LIVE_KEYS} < ?8 RETURNING expires_at`,
        )
      : db.prepare(
          `INSERT INTO credentials (${columns})
           SELECT ?1, p.user_id, 'api_key', ?3, ?4, ?5, ?7,
                  CASE WHEN p.expires_at IS NULL THEN ?6 WHEN ?6 IS NULL THEN p.expires_at
                       ELSE min(?6, p.expires_at) END,
                  p.id
           FROM credentials p
           WHERE p.id = ?9 AND p.user_id = ?2 AND p.revoked_at IS NULL
             AND (p.expires_at IS NULL OR p.expires_at > ?7) AND ${LIVE_KEYS} < ?8
           RETURNING expires_at`,
        );
  const params = [row.id, row.userId, row.name, row.hash, row.displayPrefix, row.expiresAt, row.now, options.maxKeys];
  const bound = options.parentId === null ? statement.bind(...params) : statement.bind(...params, options.parentId);
  const inserted = await bound.first<{ expires_at: number | null }>();
  if (inserted) return { ok: true, expiresAt: inserted.expires_at };
  // Nothing inserted: say why (a read only on this rare path).
  const live = await db
    .prepare(`SELECT ${liveKeys("?1", "?2")} AS n`)
    .bind(row.userId, row.now)
    .first<number>("n");
  return { ok: false, reason: (live ?? 0) >= options.maxKeys ? "quota" : "parent_gone" };
}
