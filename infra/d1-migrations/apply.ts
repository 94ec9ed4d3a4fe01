// Applies a stage's pending D1 migrations with a restore point first, refusing applied files that changed.
import type { D1Http, D1Row } from "./d1-http.ts";
import type { MigrationFile } from "./files.ts";
import { describeDrift, type LedgerState, planMigrations } from "./plan.ts";
import { type RestorePoint, restorePointMarkdown, restorePointText } from "./restore-point.ts";

/** alchemy's and wrangler's ledger: kept as they write it, so `wrangler d1 migrations list` still reads it. */
export const LEDGER_TABLE = "d1_migrations";
/** The project's: the checksum of each file as it was applied. */
export const CHECKSUM_TABLE = "d1_migration_checksums";

const ENSURE_LEDGERS = `CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (id TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ${CHECKSUM_TABLE} (
  name TEXT PRIMARY KEY,
  checksum TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('applied', 'adopted'))
)`;

export interface MigrateInput {
  stage: string;
  /** Protected stages refuse drift and get a restore point; previews rebuild their database instead. */
  protectedStage: boolean;
  database: { id: string; name: string };
  files: readonly MigrationFile[];
  d1: D1Http;
  log: (line: string) => void;
  /** Markdown for the GitHub job summary. */
  summary: (markdown: string) => void | Promise<void>;
}

export interface MigrateOutcome {
  applied: string[];
  adopted: string[];
  bookmark: string | undefined;
  rebuilt: boolean;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** File names are checked by readMigrationFiles; this still never lets a quote through. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

function checksumRow(file: MigrationFile, source: "applied" | "adopted"): string {
  return `INSERT OR REPLACE INTO ${CHECKSUM_TABLE} (name, checksum, recorded_at, source) VALUES (${literal(file.name)}, ${literal(file.checksum)}, datetime('now'), ${literal(source)})`;
}

async function readLedger(d1: D1Http): Promise<LedgerState & { ids: string[] }> {
  const results = await d1.query(
    `${ENSURE_LEDGERS};\nSELECT id, name FROM ${LEDGER_TABLE} ORDER BY id;\nSELECT name, checksum FROM ${CHECKSUM_TABLE}`,
  );
  const ledger = (results.at(-2) ?? []) as { id: string; name: string }[];
  const checksums = (results.at(-1) ?? []) as { name: string; checksum: string }[];
  return { applied: ledger.map((row) => row.name), ids: ledger.map((row) => row.id), checksums };
}

/** Drops every table and view of a preview's database (ledgers included), so every file applies afresh. */
async function rebuildFromScratch(d1: D1Http): Promise<string[]> {
  const [objects = []] = await d1.query(
    "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY rowid",
  );
  // Newest first: a table that references another was created after it, and goes before it.
  const drops = (objects as D1Row[])
    .map((row) => `DROP ${row.type === "view" ? "VIEW" : "TABLE"} IF EXISTS ${quoted(String(row.name))}`)
    .reverse();
  if (drops.length > 0) await d1.query(["PRAGMA defer_foreign_keys = on", ...drops].join(";\n"));
  return (objects as D1Row[]).map((row) => String(row.name));
}

/** Next id in alchemy's format (`00004`), so alchemy and wrangler keep reading the ledger. */
function nextIds(ids: string[]): () => string {
  let next = Math.max(0, ...ids.filter((id) => /^\d+$/.test(id)).map(Number)) + 1;
  return () => String(next++).padStart(5, "0");
}

export async function migrateD1(input: MigrateInput): Promise<MigrateOutcome> {
  const { stage, protectedStage, database, files, d1, log, summary } = input;
  // Before the first write of this deploy, on every deploy of a protected stage: it is also the way
  // back from a bad release whose code damaged data without any migration.
  const bookmark = protectedStage ? await d1.bookmark() : undefined;
  let ledger = await readLedger(d1);
  let plan = planMigrations(files, ledger);
  const point: RestorePoint | undefined = bookmark
    ? { stage, databaseName: database.name, databaseId: database.id, bookmark }
    : undefined;
  if (point) {
    log(restorePointText(point, plan.pending.length));
    await summary(restorePointMarkdown(point, plan.pending.length));
  }

  let rebuilt = false;
  if (plan.drift.length > 0) {
    const problems = describeDrift(plan.drift);
    if (protectedStage) {
      const message = [
        `Refusing to deploy stage ${stage}: its D1 database no longer matches the migration files.`,
        ...problems.map((problem) => `  - ${problem}`),
        "An applied migration is never edited or removed: restore the file as it was, and put the change in a new migration.",
      ].join("\n");
      await summary(`### D1 migrations refused\n\n\`\`\`\n${message}\n\`\`\``);
      throw new MigrationError(message);
    }
    const dropped = await rebuildFromScratch(d1);
    const message = `Preview stage ${stage}: ${problems.join("; ")}. Rebuilt its D1 database from scratch (dropped ${dropped.length} tables and views, all its rows with them) and applying every migration again.`;
    log(message);
    await summary(message);
    rebuilt = true;
    ledger = await readLedger(d1);
    plan = planMigrations(files, ledger);
  }

  if (plan.ahead.length > 0) {
    const message = `Stage ${stage} runs code older than its database: ${plan.ahead.join(", ")} stay applied (a rollback keeps migrations; docs/data-safety.md).`;
    log(message);
    await summary(message);
  }

  if (plan.adopt.length > 0) {
    await d1.query(plan.adopt.map((file) => checksumRow(file, "adopted")).join(";\n"));
    log(`Recorded the checksums of ${plan.adopt.length} migration(s) applied before checksums were kept.`);
  }

  const id = nextIds(ledger.ids);
  const applied: string[] = [];
  for (const file of plan.pending) {
    // The file, its ledger row and its checksum in one call: D1 commits all three or none.
    const sql = [
      file.sql,
      `INSERT INTO ${LEDGER_TABLE} (id, name, applied_at) VALUES (${literal(id())}, ${literal(file.name)}, datetime('now'))`,
      checksumRow(file, "applied"),
    ].join("\n;\n");
    try {
      await d1.query(sql);
    } catch (error) {
      const message = failureMessage(stage, file, applied, plan.pending, error as Error, point);
      await summary(`### D1 migration failed\n\n\`\`\`\n${message}\n\`\`\``);
      throw new MigrationError(message);
    }
    applied.push(file.name);
    log(`Applied D1 migration ${file.name}`);
  }
  if (applied.length === 0 && !rebuilt) log(`D1 migrations of stage ${stage}: none pending.`);
  return { applied, adopted: plan.adopt.map((file) => file.name), bookmark, rebuilt };
}

function failureMessage(
  stage: string,
  failed: MigrationFile,
  applied: string[],
  pending: readonly MigrationFile[],
  error: Error,
  point: RestorePoint | undefined,
): string {
  const notRun = pending.slice(applied.length + 1).map((file) => file.name);
  return [
    `D1 migration ${failed.name} failed on stage ${stage}: ${error.message}`,
    `None of ${failed.name} was applied: D1 runs a file and its ledger row as one batch, rolled back whole.`,
    applied.length > 0
      ? `Applied by this deploy before it, and recorded in the ledger: ${applied.join(", ")}.`
      : "Nothing was applied by this deploy before it.",
    ...(notRun.length > 0 ? [`Not attempted: ${notRun.join(", ")}.`] : []),
    "This deploy stopped before the Worker: whatever served before still serves. Fix the file (it was never applied, so it may change) and deploy again.",
    ...(point && applied.length > 0
      ? [`To undo the migrations applied before it, restore the bookmark above (${point.bookmark}).`]
      : []),
  ].join("\n");
}
