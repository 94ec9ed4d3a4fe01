// The delivery CLI's commands (`npm run stage`, `pull-request`, `verify:destroyed`, `sweep`). I/O comes in through CliDeps.
import { parseArgs } from "node:util";
import { gitHubEnvironment } from "../names.ts";
import { isProtectedStage } from "../protected-stages.ts";
import { assertValidStage, gitHubBranch, PRODUCTION_STAGE, resolveStage } from "../stage.ts";
import { loadInventory } from "./cloudflare-api.ts";
import {
  defaultBranch,
  type Fetch,
  findOpenPullRequest,
  gitHubClientFromEnv,
  listBranches,
  listEnvironments,
} from "./github-api.ts";
import { appendSummary, reportError, setOutputs } from "./github-outputs.ts";
import { deployedStages, planSweep } from "./sweep.ts";
import { cloudflareLeftovers, parseStateList, teardownVerdict } from "./teardown.ts";

type Env = Readonly<Record<string, string | undefined>>;

export interface CliDeps {
  env: Env;
  fetch: Fetch;
  /** Machine-readable results: one value per line. */
  out: (line: string) => void;
  /** Everything meant for a person. */
  log: (line: string) => void;
  stateList: (stage: string) => Promise<string>;
  destroy: (stage: string) => Promise<void>;
}

export const USAGE = `Usage:
  npm run -s stage [-- --stage NAME] [-- --preview]   print the stage this run acts on
  npm run -s pull-request                             print the open pull request of this branch, if any
  npm run verify:destroyed -- --stage NAME            exit 1, naming what is left, unless the stage is gone
  npm run -s sweep [-- --dry-run]                     print (and destroy) preview stages whose branch is gone`;

export class UsageError extends Error {
  override name = "UsageError";
}

function options<T extends Record<string, { type: "string" | "boolean" }>>(args: string[], spec: T) {
  try {
    return parseArgs({ args, options: spec, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The stage for this run (--stage, STAGE, the GitHub branch, else prod); `--preview` refuses production. */
async function stageCommand(args: string[], deps: CliDeps): Promise<number> {
  const values = options(args, { stage: { type: "string" }, preview: { type: "boolean" } });
  const argv = values.stage === undefined ? [] : ["--stage", values.stage];
  const stage = resolveStage({ argv, env: deps.env, purpose: "deploy" });
  if (values.preview && isProtectedStage(stage)) {
    const what = stage === PRODUCTION_STAGE ? "the production stage" : "the protected stage";
    throw new Error(`This run resolves to ${what} "${stage}"; a preview job never touches it.`);
  }
  setOutputs(deps.env, { stage, environment: gitHubEnvironment(stage) });
  deps.out(stage);
  return 0;
}

async function pullRequestCommand(args: string[], deps: CliDeps): Promise<number> {
  options(args, {});
  const branch = gitHubBranch(deps.env);
  if (!branch) throw new Error("No branch: set GITHUB_REF_NAME, GITHUB_HEAD_REF or STAGE_BRANCH.");
  const number = await findOpenPullRequest(gitHubClientFromEnv(deps.env, deps.fetch), branch);
  setOutputs(deps.env, { number: number === undefined ? "" : String(number) });
  if (number === undefined) deps.log(`No open pull request for branch ${branch}.`);
  else deps.out(String(number));
  return 0;
}

/** Exit status 0 only when neither alchemy's state nor Cloudflare has anything of the stage. */
async function verifyStage(stage: string, deps: CliDeps): Promise<boolean> {
  const [stateOutput, inventory] = await Promise.all([deps.stateList(stage), loadInventory(deps.env, deps.fetch)]);
  const verdict = teardownVerdict({
    stage,
    state: parseStateList(stateOutput, stage),
    cloudflare: cloudflareLeftovers(inventory, stage),
  });
  if (verdict.ok) deps.log(verdict.message);
  else reportError(deps.env, verdict.message);
  appendSummary(deps.env, verdict.ok ? verdict.message : `\`\`\`\n${verdict.message}\n\`\`\``);
  return verdict.ok;
}

async function verifyDestroyedCommand(args: string[], deps: CliDeps): Promise<number> {
  const values = options(args, { stage: { type: "string" } });
  if (!values.stage) throw new UsageError("verify:destroyed needs --stage NAME.");
  return (await verifyStage(assertValidStage(values.stage), deps)) ? 0 : 1;
}

async function sweepCommand(args: string[], deps: CliDeps): Promise<number> {
  const values = options(args, { "dry-run": { type: "boolean" } });
  const client = gitHubClientFromEnv(deps.env, deps.fetch);
  const [environments, branches, mainBranch, inventory] = await Promise.all([
    listEnvironments(client),
    listBranches(client),
    deps.env.DEFAULT_BRANCH || defaultBranch(client),
    loadInventory(deps.env, deps.fetch),
  ]);
  const stale = planSweep({ environments, branches, defaultBranch: mainBranch, deployed: deployedStages(inventory) });
  setOutputs(deps.env, { stages: JSON.stringify(stale) });
  const summary = stale.length
    ? `Preview stages whose branch is gone: ${stale.join(", ")}`
    : "No preview stage outlived its branch.";
  deps.log(summary);
  appendSummary(deps.env, summary);
  for (const stage of stale) deps.out(stage);
  if (values["dry-run"] || stale.length === 0) return 0;

  let failed = 0;
  for (const stage of stale) {
    await deps.destroy(stage);
    if (!(await verifyStage(stage, deps))) failed++;
  }
  return failed === 0 ? 0 : 1;
}

const COMMANDS: Record<string, (args: string[], deps: CliDeps) => Promise<number>> = {
  stage: stageCommand,
  "pull-request": pullRequestCommand,
  "verify-destroyed": verifyDestroyedCommand,
  sweep: sweepCommand,
};

/** Runs one command; returns the exit status (2 for a usage error, 1 for any other failure). */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  try {
    if (!command) throw new UsageError(name ? `Unknown command "${name}".` : "No command given.");
    return await command(args, deps);
  } catch (error) {
    reportError(deps.env, (error as Error).message);
    if (error instanceof UsageError) {
      deps.log(USAGE);
      return 2;
    }
    return 1;
  }
}
