// Releases of the project as a rehearsal deploys them: the previous release (this checkout, as it is) and the next one
// (this checkout plus an additive D1 migration that rewrites existing rows and an additive SessionDO schema step),
// and a stage made protected the way a fork would list it. The next release is synthetic on purpose: it only ever
// adds, so the rehearsal keeps testing the upgrade machinery whatever the real newest migration needs from its code.
import { copyFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MIGRATIONS_DIR } from "../../../infra/core/runtime.ts";
import { MIGRATIONS } from "../../../src/sessions/object/migrations.ts";
import { type ProjectCopy, REPO_ROOT } from "./project-copy.ts";

const STEPS_FILE = "src/sessions/object/migrations.ts";

/** Adds `stage` to the copy's PROTECTED_STAGES, so a rehearsal stage is treated like prod and staging. */
export function protectStage(project: ProjectCopy, stage: string): Promise<void> {
  return project.edit("infra/core/protected-stages.ts", (text) =>
    text.replace(/(PROTECTED_STAGES\b[^=]*=\s*\[)/, `$1"${stage}", `),
  );
}

export interface PreviousRelease {
  /** The D1 migration file the previous release does not have. */
  migration: string;
  /** The SessionDO schema step it does not have. */
  step: (typeof MIGRATIONS)[number];
}

/** What the next release adds: one D1 migration after the newest file, one object step after the newest step. */
export async function newestChanges(): Promise<PreviousRelease> {
  const files = (await readdir(join(REPO_ROOT, MIGRATIONS_DIR))).filter((name) => name.endsWith(".sql"));
  const next = Math.max(0, ...files.map((name) => Number.parseInt(name, 10))) + 1;
  const last = MIGRATIONS.at(-1);
  if (!last) throw new Error("The project has no SessionDO schema step.");
  return {
    migration: `${String(next).padStart(4, "0")}_rehearsal_upgrade.sql`,
    step: {
      version: last.version + 1,
      name: "rehearsal_upgrade",
      compatibleWithPrevious: true,
      sql: "CREATE TABLE rehearsal_upgrade (id INTEGER PRIMARY KEY, note TEXT NOT NULL)",
    },
  };
}

/**
 * Rewrites every existing user row, the way a real data migration would; additive, so older code still runs, which
 * its first line declares for the rollback check (docs/releases.md).
 */
const NEXT_MIGRATION_SQL = `-- compatible-with-previous: true
ALTER TABLE users ADD COLUMN rehearsal_upgrade TEXT;
UPDATE users SET rehearsal_upgrade = lower(email);
`;

/** Puts the copy back to the previous release: the checkout's own migrations and schema steps. */
export async function toPreviousRelease(project: ProjectCopy): Promise<PreviousRelease> {
  const next = await newestChanges();
  await rm(join(project.dir, MIGRATIONS_DIR, next.migration), { force: true });
  await copyFile(join(REPO_ROOT, STEPS_FILE), join(project.dir, STEPS_FILE));
  return next;
}

/** Turns the copy into the next release: the extra migration file and the extra object schema step. */
export async function toCurrentRelease(project: ProjectCopy): Promise<void> {
  const next = await newestChanges();
  await writeFile(join(project.dir, MIGRATIONS_DIR, next.migration), NEXT_MIGRATION_SQL);
  await addSessionStep(project, next.step);
}

/** Appends a SessionDO schema step to the copy's list. */
async function addSessionStep(project: ProjectCopy, step: PreviousRelease["step"]): Promise<void> {
  await project.edit(STEPS_FILE, (text) => {
    const list = text.indexOf("export const MIGRATIONS");
    const end = text.indexOf("\n];", list);
    if (list === -1 || end === -1) return text;
    const { version, name, compatibleWithPrevious, sql } = step;
    const entry = `\n  {\n    version: ${version},\n    name: "${name}",\n    compatibleWithPrevious: ${compatibleWithPrevious},\n    sql: \`${sql}\`,\n  },`;
    return `${text.slice(0, end)}${entry}${text.slice(end)}`;
  });
}

/**
 * A release that answers /health but cannot open a session: its new object step fails on every object it wakes, so
 * only a signed-in request shows it is broken.
 */
export async function toBrokenRelease(project: ProjectCopy): Promise<void> {
  const { step } = await newestChanges();
  await addSessionStep(project, { ...step, name: "rehearsal_broken", sql: "INSERT INTO no_such_table VALUES (1)" });
}
