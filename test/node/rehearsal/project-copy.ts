// A throwaway copy of the project for alchemy to deploy from, so a rehearsal never touches the checkout's
// `.alchemy/` (state, bundles) or its migrations folder. node_modules is shared through a symlink.
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { APP_NAME, MIGRATIONS_DIR } from "../../../infra/core/runtime.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url).href);

/** What `npm run deploy`, `destroy` and the delivery scripts read: the program, its infra, the Worker's and the console's source, the workflows. */
const DEPLOY_INPUTS = [
  "package.json",
  "tsconfig.json",
  ".node-version",
  "alchemy.run.ts",
  "infra",
  "src",
  "web",
  ".github",
];

export interface ProjectCopy {
  dir: string;
  workflowsDir: string;
  /** Adds a D1 migration to the copy's migrations folder (the checkout's stays as it is). */
  addMigration(fileName: string, sql: string): Promise<void>;
  migrationFiles(): Promise<string[]>;
  /** Rewrites a file of the copy; throws when the edit no longer matches the project. */
  edit(path: string, change: (text: string) => string): Promise<void>;
  /** The resources alchemy's filesystem state still records for a stage (empty when the stage is gone). */
  stateFiles(stage: string): Promise<string[]>;
  readState(stage: string, resource: string): Promise<{ output: Record<string, unknown> }>;
  remove(): Promise<void>;
}

export async function copyProject(): Promise<ProjectCopy> {
  const dir = await mkdtemp(join(tmpdir(), "deploy-rehearsal-"));
  for (const entry of DEPLOY_INPUTS) {
    await cp(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
  }
  await symlink(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const stateDir = (stage: string) => join(dir, ".alchemy", APP_NAME, stage);

  return {
    dir,
    workflowsDir: join(dir, ".github", "workflows"),
    addMigration: (fileName, sql) => writeFile(join(dir, MIGRATIONS_DIR, fileName), sql),
    async edit(path, change) {
      const before = await readFile(join(dir, path), "utf8");
      const after = change(before);
      if (after === before) throw new Error(`The rehearsal's edit of ${path} no longer applies: update the test.`);
      await writeFile(join(dir, path), after);
    },
    migrationFiles: async () => (await readdir(join(dir, MIGRATIONS_DIR))).filter((f) => f.endsWith(".sql")).sort(),
    async stateFiles(stage) {
      const entries = await readdir(stateDir(stage), { recursive: true }).catch(() => []);
      return entries.filter((entry) => entry.endsWith(".json")).sort();
    },
    async readState(stage, resource) {
      return JSON.parse(await readFile(join(stateDir(stage), `${resource}.json`), "utf8"));
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
