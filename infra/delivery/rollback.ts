// `npm run rollback:check`: may this stage go back to that release? Released before, and able to run on today's data.
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gitHubEnvironment, stageResourceNames } from "../core/names.ts";
import { MIGRATIONS_DIR } from "../core/runtime.ts";
import { cloudflareD1 } from "../d1-migrations/d1-http.ts";
import { type CloudflareClient, listDatabases } from "../vendors/cloudflare-api.ts";
import { type GitHubClient, resolveCommit, wasDeployedSuccessfully } from "../vendors/github-api.ts";
import { parseAccepted, planRollback, type RollbackPlan, type SessionStep } from "./rollback-plan.ts";

/**
 * Where a release keeps its SessionDO schema steps (`export const MIGRATIONS`), newest layout first:
 * a rollback may target a release from before the files moved, so every place they have lived stays here.
 */
const SESSION_STEPS_FILES = ["src/sessions/object/migrations.ts", "src/session/migrations.ts"];

export interface RollbackCheckInput {
  stage: string;
  ref: string;
  /** The target release's checkout. */
  targetDir: string;
  /** The newest release's checkout: the workflow's own. */
  newestDir: string;
  accept: string | undefined;
  github: GitHubClient;
  cloudflare: CloudflareClient;
}

export interface RollbackCheck {
  ok: boolean;
  sha: string;
  message: string;
  plan?: RollbackPlan;
}

async function migrationFiles(dir: string): Promise<Map<string, string>> {
  const folder = join(dir, MIGRATIONS_DIR);
  const names = (await readdir(folder)).filter((name) => name.endsWith(".sql")).sort();
  return new Map(
    await Promise.all(names.map(async (name) => [name, await readFile(join(folder, name), "utf8")] as const)),
  );
}

/** A release's steps, read by importing its own file: no second copy of the list to drift. */
async function sessionSteps(dir: string): Promise<SessionStep[]> {
  const file = SESSION_STEPS_FILES.map((path) => resolve(dir, path)).find((path) => existsSync(path));
  if (!file) throw new Error(`${dir} has none of ${SESSION_STEPS_FILES.join(", ")}: is it a release of this project?`);
  const { MIGRATIONS } = (await import(pathToFileURL(file).href)) as { MIGRATIONS?: unknown };
  if (!Array.isArray(MIGRATIONS)) throw new Error(`${file} exports no MIGRATIONS list.`);
  return MIGRATIONS.map((step: SessionStep) => ({
    version: step.version,
    name: step.name,
    compatibleWithPrevious: step.compatibleWithPrevious === true,
  }));
}

/** The D1 files the stage's ledger (`d1_migrations`) records as applied, oldest first. */
async function appliedD1(cloudflare: CloudflareClient, stage: string): Promise<string[]> {
  const name = stageResourceNames(stage).database;
  const databases = await listDatabases(cloudflare);
  const id = databases.find((database) => database.name === name)?.uuid;
  if (!id) throw new Error(`Stage ${stage} has no D1 database ${name}: there is nothing to roll back.`);
  const [rows = []] = await cloudflareD1(id, cloudflare).query("SELECT name FROM d1_migrations ORDER BY id");
  return rows.map((row) => String(row.name));
}

export async function checkRollback(input: RollbackCheckInput): Promise<RollbackCheck> {
  const sha = await resolveCommit(input.github, input.ref);
  const environment = gitHubEnvironment(input.stage);
  if (!(await wasDeployedSuccessfully(input.github, environment, sha))) {
    return {
      ok: false,
      sha,
      message: [
        `REFUSED: ${input.ref} (${sha.slice(0, 12)}) was never deployed successfully to the ${environment} environment.`,
        "A rollback only puts back a release that passed CI and the probe there once. To ship other code, revert on the",
        "default branch and let the deploy workflow take it through CI, staging and prod.",
      ].join("\n"),
    };
  }
  const [targetFiles, newestFiles, targetSteps, newestSteps, applied] = await Promise.all([
    migrationFiles(input.targetDir),
    migrationFiles(input.newestDir),
    sessionSteps(input.targetDir),
    sessionSteps(input.newestDir),
    appliedD1(input.cloudflare, input.stage),
  ]);
  const plan = planRollback({
    appliedD1: applied,
    targetD1: [...targetFiles.keys()],
    newestD1Sql: newestFiles,
    targetSteps,
    newestSteps,
    accepted: parseAccepted(input.accept),
  });
  const verdict = plan.ok
    ? `Stage ${input.stage} may roll back to ${input.ref} (${sha.slice(0, 12)}), released to ${environment} before.`
    : `Stage ${input.stage} is NOT rolled back to ${input.ref} (${sha.slice(0, 12)}); nothing was changed.`;
  return { ok: plan.ok, sha, plan, message: `${verdict}\n${plan.message}` };
}
