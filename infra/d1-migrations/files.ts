// The D1 migration files of the folder, in the order they apply, each with the checksum the ledger records.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 (hex) of the text with line endings normalised, so a checkout with CRLF endings is no edit. */
  checksum: string;
}

/** `0004_add_things.sql`: a number, an underscore, then letters, digits, `_`, `-` or `.` (it is written into SQL). */
const FILE_NAME = /^(\d+)_[A-Za-z0-9_.-]+\.sql$/;

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql.replace(/\r\n?/g, "\n")).digest("hex");
}

/** Numeric order of the prefix, as alchemy and wrangler apply them; a file named otherwise is refused. */
export async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".sql"));
  const bad = names.filter((name) => !FILE_NAME.test(name));
  if (bad.length > 0) {
    throw new Error(`D1 migration file names must look like 0001_what_it_does.sql; rename: ${bad.join(", ")}.`);
  }
  const prefix = (name: string) => Number.parseInt(name, 10);
  const sorted = names.sort((a, b) => prefix(a) - prefix(b) || a.localeCompare(b));
  return Promise.all(
    sorted.map(async (name) => {
      const sql = await readFile(join(dir, name), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}
