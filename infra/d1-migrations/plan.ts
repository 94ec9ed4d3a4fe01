// What a deploy must do to a stage's D1 database, decided from the files and the ledgers alone. Pure.
import type { MigrationFile } from "./files.ts";

/** A row of the project's ledger (`d1_migration_checksums`): the checksum of a file when it was applied. */
export interface RecordedChecksum {
  name: string;
  checksum: string;
}

export interface LedgerState {
  /** Names in alchemy's and wrangler's ledger (`d1_migrations`), in the order they were applied. */
  applied: string[];
  checksums: RecordedChecksum[];
}

export interface Drift {
  name: string;
  /** What the ledger recorded when the file was applied. */
  recorded: string;
  /** The file's checksum now, or undefined when the file is gone from the folder. */
  current: string | undefined;
}

export interface MigrationPlan {
  /** Files not applied yet, in order. */
  pending: MigrationFile[];
  /** Applied files whose text changed or that left the folder since: the database no longer matches the files. */
  drift: Drift[];
  /** Applied files with no recorded checksum (applied before the project kept checksums): recorded as they are now. */
  adopt: MigrationFile[];
  /**
   * Applied files numbered after every file in the folder: this code is older than the database (a
   * rollback). They stay applied; the older code must cope with them (expand, then contract).
   */
  ahead: string[];
}

export function planMigrations(files: readonly MigrationFile[], ledger: LedgerState): MigrationPlan {
  const applied = new Set(ledger.applied);
  const recorded = new Map(ledger.checksums.map((row) => [row.name, row.checksum]));
  const byName = new Map(files.map((file) => [file.name, file]));
  const newestFile = Math.max(0, ...files.map((file) => Number.parseInt(file.name, 10)));
  const drift: Drift[] = [];
  const ahead: string[] = [];
  for (const name of ledger.applied) {
    const file = byName.get(name);
    const checksum = recorded.get(name);
    if (!file && Number.parseInt(name, 10) > newestFile) ahead.push(name);
    else if (!file) drift.push({ name, recorded: checksum ?? "(none)", current: undefined });
    else if (checksum !== undefined && checksum !== file.checksum) {
      drift.push({ name, recorded: checksum, current: file.checksum });
    }
  }
  return {
    pending: files.filter((file) => !applied.has(file.name)),
    drift,
    adopt: files.filter((file) => applied.has(file.name) && !recorded.has(file.name)),
    ahead,
  };
}

export function describeDrift(drift: readonly Drift[]): string[] {
  return drift.map(({ name, recorded, current }) =>
    current === undefined
      ? `${name} was applied but is no longer in the migrations folder`
      : `${name} was edited after it was applied (applied ${recorded.slice(0, 12)}, now ${current.slice(0, 12)})`,
  );
}
