// The object's own SQLite schema: an ordered list of steps and a ledger of the ones applied.
import type { Sql } from "./sql.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Append only. A step, once released, is never edited: objects created by older code replay the
 * steps they lack on their next wake. Messages are never deleted one by one, so `seq` (the rowid)
 * stays gap-free; there is deliberately no index on the public message id to keep appends to one
 * B-tree write; add one in a new step if a lookup by id is ever needed.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "sessions_messages_tasks",
    sql: `
      CREATE TABLE session_meta (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        id TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        title TEXT,
        metadata TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE messages (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
        content TEXT NOT NULL,
        metadata TEXT,
        author_id TEXT NOT NULL,
        idempotency_key TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX messages_by_idempotency_key ON messages (author_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'completed', 'cancelled')),
        position INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        completed_at INTEGER
      );
      CREATE INDEX tasks_by_status ON tasks (status, position, created_at);
      CREATE INDEX tasks_by_position ON tasks (position, created_at);
    `,
  },
  {
    version: 2,
    name: "index_sync",
    // revision counts non-message changes; with the last seq it forms the D1 row's change counter.
    sql: `
      ALTER TABLE session_meta ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE session_meta ADD COLUMN activity_at INTEGER;
      CREATE TABLE index_sync (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        flushed_version INTEGER NOT NULL DEFAULT 0,
        d1_writes INTEGER NOT NULL DEFAULT 0,
        d1_failures INTEGER NOT NULL DEFAULT 0,
        last_flush_at INTEGER
      );
      INSERT INTO index_sync (singleton) VALUES (1);
    `,
  },
  {
    version: 3,
    name: "ws_tickets",
    // Single-use WebSocket tickets (src/realtime/tickets.ts): only their SHA-256 is stored.
    sql: `
      CREATE TABLE ws_tickets (
        hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: "ws_ticket_credentials",
    // The credential a ticket was issued to, so its socket closes when that credential ends.
    // Tickets from older code have none and live at most a minute: they are dropped, not migrated.
    sql: `
      DELETE FROM ws_tickets;
      ALTER TABLE ws_tickets ADD COLUMN credential_id TEXT;
      ALTER TABLE ws_tickets ADD COLUMN credential_expires_at INTEGER;
    `,
  },
];

const LEDGER = "schema_migrations";

/** Reads only: an object that was never initialised (or was destroyed) must stay empty. */
export function hasLedger(sql: Sql): boolean {
  return (
    sql.first("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ? LIMIT 1", LEDGER) !== undefined
  );
}

export function schemaVersion(sql: Sql): number {
  return sql.first<{ version: number }>(`SELECT coalesce(max(version), 0) AS version FROM ${LEDGER}`)?.version ?? 0;
}

/**
 * Applies the missing steps in order and records each in the ledger. Callers run it inside
 * `storage.transactionSync` so a failing step leaves the schema exactly as it was.
 */
export function applyMigrations(sql: Sql, steps: readonly Migration[] = MIGRATIONS, now = Date.now()): number {
  sql.run(
    `CREATE TABLE IF NOT EXISTS ${LEDGER} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`,
  );
  const current = schemaVersion(sql);
  const latest = steps.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `Session schema is at version ${current}, newer than this code knows (${latest}); refusing to run.`,
    );
  }
  for (const step of steps) {
    if (step.version <= current) continue;
    sql.run(step.sql);
    sql.run(`INSERT INTO ${LEDGER} (version, name, applied_at) VALUES (?, ?, ?)`, step.version, step.name, now);
  }
  return latest;
}
