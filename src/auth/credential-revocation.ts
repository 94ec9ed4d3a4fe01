// Revoking credentials: one, or all of a user's, always with every credential they minted (a child
// never outlives its parent), and out of this isolate's cache at once.
import { credentialCache } from "./credential-cache.ts";
import type { CredentialKind } from "./tokens.ts";

export interface RevocationScope {
  userId: string;
  /** Just this credential (and its descendants); otherwise every live one of the user's. */
  id?: string;
  /** Only roots of this kind (descendants of any kind go with them). */
  kind?: CredentialKind;
  /** Spared, with its own descendants: the credential presenting the request. */
  exceptId?: string | null;
}

/**
 * Marks the matching live credentials and all their descendants revoked in one statement (so a
 * concurrent mint either lands before and is caught by the walk, or finds its parent revoked) and
 * returns the ids revoked. Revocation sets `revoked_at` and never deletes: other isolates' caches
 * and the sessions' socket re-checks read that column.
 */
export async function revokeCredentials(db: D1Database, scope: RevocationScope, now: number): Promise<string[]> {
  return afterRevocation(await revocationStatement(db, scope, now).all<RevokedRow>());
}

interface RevokedRow {
  id: string;
  secret_hash: string;
}

/** The revocation as one statement, to run in a batch with other writes; pass its result to afterRevocation. */
export function revocationStatement(db: D1Database, scope: RevocationScope, now: number): D1PreparedStatement {
  return db
    .prepare(
      `WITH RECURSIVE doomed(id) AS (
         SELECT id FROM credentials
         WHERE user_id = ?1 AND revoked_at IS NULL AND (?3 IS NULL OR id = ?3) AND (?4 IS NULL OR kind = ?4)
           AND (?5 IS NULL OR id <> ?5)
         UNION
         SELECT c.id FROM credentials c JOIN doomed d ON c.parent_id = d.id WHERE ?5 IS NULL OR c.id <> ?5
       )
       UPDATE credentials SET revoked_at = ?2
       WHERE id IN (SELECT id FROM doomed) AND revoked_at IS NULL
       RETURNING id, secret_hash`,
    )
    .bind(scope.userId, now, scope.id ?? null, scope.kind ?? null, scope.exceptId ?? null);
}

/** Evicts the revoked credentials from this isolate's cache and returns their ids. */
export function afterRevocation(result: D1Result<unknown>): string[] {
  const rows = result.results as RevokedRow[];
  // Other isolates stop accepting them within the cache's TTL (credential-cache.ts).
  for (const row of rows) credentialCache.delete(row.secret_hash);
  return rows.map((row) => row.id);
}
