// Everything a request could change, as one comparable value: every D1 table and the SQLite tables of
// every session's Durable Object. A rejected request must leave it exactly as it was.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";

/**
 * Columns that move without a request being accepted: when a token was last used (written after the
 * response, at most once a minute), and the D1 index of a session, which its object's alarm refreshes
 * seconds after an earlier, accepted change (the object's own tables are compared instead). Login
 * limiter counts live in their own object and are left out: counting rejected attempts is their job.
 */
const VOLATILE_COLUMNS: Record<string, ReadonlySet<string>> = {
  credentials: new Set(["last_used_at"]),
  sessions: new Set([
    "title",
    "updated_at",
    "last_message_at",
    "last_activity_at",
    "message_count",
    "open_task_count",
    "index_version",
  ]),
};

const TABLES = `SELECT name FROM sqlite_master WHERE type = 'table'
  AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name`;

const stable = (table: string, row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).filter(([column]) => !VOLATILE_COLUMNS[table]?.has(column)));

let d1TableNames: string[] | undefined;

/** Every D1 table in one batch (the table list is read once: the schema does not change mid-run). */
async function d1Tables(): Promise<Record<string, unknown[]>> {
  d1TableNames ??= (await env.DB.prepare(TABLES).all<{ name: string }>()).results.map(({ name }) => name);
  const names = d1TableNames;
  const results = await env.DB.batch(names.map((name) => env.DB.prepare(`SELECT * FROM "${name}" ORDER BY rowid`)));
  return Object.fromEntries(
    names.map((name, i) => [
      name,
      (results[i]?.results ?? []).map((row) => stable(name, row as Record<string, unknown>)),
    ]),
  );
}

/** The object's tables as JSON text (a plain string keeps the RPC types simple). */
async function objectTables(sessionId: string): Promise<string> {
  const namespace: DurableObjectNamespace = env.SESSIONS;
  const stub = namespace.getByName(sessionId);
  return runInDurableObject(stub, (_instance, state) => {
    const dump: Record<string, unknown[]> = {};
    for (const { name } of state.storage.sql.exec<{ name: string }>(TABLES).toArray()) {
      dump[name] = state.storage.sql.exec(`SELECT * FROM "${name}" ORDER BY rowid`).toArray();
    }
    return JSON.stringify(dump);
  });
}

/**
 * The state as JSON: every D1 table, and the tables of the objects of `sessionIds` (the sessions a
 * request could reach; sessions created by accepted requests are in D1 but nothing targets them).
 */
export async function snapshot(sessionIds: readonly string[]): Promise<string> {
  const objects: Record<string, unknown> = {};
  for (const id of sessionIds) objects[id] = await objectTables(id);
  return JSON.stringify({ d1: await d1Tables(), objects });
}

/** The first place two snapshots differ, for the failure message. */
export function firstDifference(before: string, after: string): string {
  let i = 0;
  while (i < before.length && before[i] === after[i]) i += 1;
  return `…${before.slice(Math.max(0, i - 120), i + 80)}… became …${after.slice(Math.max(0, i - 120), i + 80)}…`;
}
