// Releases of the project as a rehearsal deploys them: the previous release (this one without its newest D1 migration
// and newest SessionDO schema step), the current one, and a stage made protected the way a fork would list it.
import { copyFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { MIGRATIONS_DIR } from "../../../infra/runtime.ts";
import { MIGRATIONS } from "../../../src/session/migrations.ts";
import { type ProjectCopy, REPO_ROOT } from "./project-copy.ts";

const STEPS_FILE = "src/session/migrations.ts";

/** Adds `stage` to the copy's PROTECTED_STAGES, so a rehearsal stage is treated like prod and staging. */
export function protectStage(project: ProjectCopy, stage: string): Promise<void> {
  return project.edit("infra/protected-stages.ts", (text) =>
    text.replace(/(PROTECTED_STAGES\b[^=]*=\s*\[)/, `$1"${stage}", `),
  );
}

export interface PreviousRelease {
  /** The D1 migration file the previous release did not have. */
  migration: string;
  /** The SessionDO schema step it did not have. */
  step: (typeof MIGRATIONS)[number];
}

/** The newest D1 migration and object step of this release: what the previous release lacks. */
export async function newestChanges(): Promise<PreviousRelease> {
  const files = (await readdir(join(REPO_ROOT, MIGRATIONS_DIR))).filter((name) => name.endsWith(".sql"));
  const migration = files.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10)).at(-1);
  const step = MIGRATIONS.at(-1);
  if (!migration || !step) throw new Error("The project has no D1 migration or no SessionDO schema step.");
  return { migration, step };
}

/** Turns the copy into the previous release: its newest D1 migration and object schema step removed. */
export async function toPreviousRelease(project: ProjectCopy): Promise<PreviousRelease> {
  const previous = await newestChanges();
  await rm(join(project.dir, MIGRATIONS_DIR, previous.migration));
  await project.edit(STEPS_FILE, (text) => {
    const start = text.indexOf(`  {\n    version: ${previous.step.version},`);
    const end = text.indexOf("\n];", start);
    if (start === -1 || end === -1) return text;
    return `${text.slice(0, start)}${text.slice(end + 1)}`;
  });
  return previous;
}

/** Puts the copy back to the current release (the checkout's files). */
export async function toCurrentRelease(project: ProjectCopy): Promise<void> {
  const { migration } = await newestChanges();
  for (const path of [join(MIGRATIONS_DIR, migration), STEPS_FILE]) {
    await copyFile(join(REPO_ROOT, path), join(project.dir, path));
  }
}
