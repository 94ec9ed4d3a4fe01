// D1 migrations of a deployed stage, applied by the project rather than alchemy (docs/data-safety.md, "Migrations and rollback").

import { isProtectedStage } from "../core/protected-stages.ts";
import { MIGRATIONS_DIR } from "../core/runtime.ts";
import { appendSummary } from "../vendors/github-outputs.ts";
import { type MigrateOutcome, migrateD1 } from "./apply.ts";
import { cloudflareD1 } from "./d1-http.ts";
import { readMigrationFiles } from "./files.ts";

/**
 * Runs between the D1 database and the Worker in a deploy: a failure stops the deploy before the
 * new code is uploaded. Local dev leaves migrations to alchemy (its own miniflare ledger).
 */
export async function migrateStageDatabase(
  stage: string,
  database: { id: string; name: string },
): Promise<MigrateOutcome> {
  return migrateD1({
    stage,
    protectedStage: isProtectedStage(stage),
    database,
    files: await readMigrationFiles(MIGRATIONS_DIR),
    d1: cloudflareD1(database.id),
    log: (line) => console.log(line),
    summary: appendSummary,
  });
}
