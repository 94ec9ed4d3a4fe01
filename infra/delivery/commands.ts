// The delivery CLI's commands (`npm run stage`, `pull-request`, `verify:destroyed`, `verify:deployed`, `rollback:check`,
// `sweep`, `setup`; the preview ones in preview-commands.ts). I/O comes in through CliDeps.
import { parseArgs } from "node:util";
import { gitHubEnvironment } from "../core/names.ts";
import { isProtectedStage } from "../core/protected-stages.ts";
import { releaseVersion } from "../core/release-version.ts";
import { assertValidStage, gitHubBranch, isPreviewStage, PRODUCTION_STAGE, resolveStage } from "../core/stage.ts";
import { readStageOwner } from "../stage-ownership.ts";
import { cloudflareClientFromEnv, loadInventory } from "../vendors/cloudflare-api.ts";
import {
  defaultBranch,
  type Fetch,
  findOpenPullRequest,
  gitHubClientFromEnv,
  listBranches,
  listEnvironments,
} from "../vendors/github-api.ts";
import { appendSummary, reportError, setOutputs } from "../vendors/github-outputs.ts";
import { GATE_PURPOSES, gateCommand, retireCommand, sweepEnvironmentsCommand } from "./preview-commands.ts";
import { PROBE_API_KEY, probeSignedIn } from "./probe.ts";
import { checkRollback } from "./rollback.ts";
import { reportSetup, runSetupChecks } from "./setup.ts";
import type { Gh } from "./setup-github.ts";
import { PLAN_LIMITS, type Plan } from "./setup-quota.ts";
import { deployedStages, planSweep, previewEnvironmentStages } from "./sweep.ts";
import { cloudflareLeftovers, parseStateList, teardownVerdict } from "./teardown.ts";
import { verifyDeployed, workersDevUrl } from "./verify-deployed.ts";

type Env = Readonly<Record<string, string | undefined>>;

export interface CliDeps {
  env: Env;
  fetch: Fetch;
  /** Machine-readable results: one value per line. */
  out: (line: string) => void;
  /** Everything meant for a person. */
  log: (line: string) => void;
  /** `branch` (STAGE_BRANCH for the child) names the branch a preview stage is read or destroyed for. */
  stateList: (stage: string, branch?: string) => Promise<string>;
  destroy: (stage: string, branch?: string) => Promise<void>;
  /** Waits between checks; tests pass one that does not. */
  sleep?: (ms: number) => Promise<void>;
  /** The GitHub CLI, for `setup`; absent means not installed. */
  gh?: Gh;
}

export const USAGE = `Usage:
  npm run -s stage [-- --stage NAME] [-- --preview]   print the stage this run acts on
  npm run -s pull-request                             print the open pull request of this branch, if any
  npm run verify:destroyed -- --stage NAME            exit 1, naming what is left, unless the stage is gone
  npm run verify:deployed -- --stage NAME [--version V] [--url URL] [--attempts N] [--interval-seconds S]
                                                      exit 1 unless the stage's /health reports the version just
                                                      deployed (default: COMMIT_SHA or GITHUB_SHA, as the deploy sets it)
                                                      and a signed-in request round-trips (PROBE_API_KEY, else an
                                                      account derived from ALCHEMY_PASSWORD; docs/releases.md)
  npm run rollback:check -- --stage NAME --ref REF --target DIR
                                                      exit 1 unless REF was released to the stage's environment before
                                                      and the release checked out in DIR can run on the stage's data
                                                      (ROLLBACK_ACCEPT names what to accept; docs/releases.md)
  npm run -s sweep [-- --dry-run]                     print (and destroy) preview stages whose branch is gone
  npm run -s stage:gate -- --for deploy|teardown|sweep|destroy --stage NAME
                                                      decide, holding the stage's lock, whether this run deploys,
                                                      destroys or leaves the stage (step outputs action, branch)
  npm run -s stage:retire -- --stage NAME             mark the stage's deployments inactive, say so on its pull request
  npm run -s sweep:environments [-- --dry-run]        remove preview-* environments whose stage and branch are gone
  npm run setup [-- --plan free|paid] [-- --previews N]
                                                      check what a fork needs to deploy (token, workers.dev, quotas,
                                                      GitHub secrets); exit 1 naming what is missing`;

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

/**
 * The stage for this run (--stage, STAGE, the GitHub branch, else prod). `--preview` refuses protected stages, and so
 * does STAGE_ACTION=destroy (a dispatched destroy): the workflows never destroy prod or staging.
 */
async function stageCommand(args: string[], deps: CliDeps): Promise<number> {
  const values = options(args, { stage: { type: "string" }, preview: { type: "boolean" } });
  const argv = values.stage === undefined ? [] : ["--stage", values.stage];
  const stage = resolveStage({ argv, env: deps.env, purpose: "deploy" });
  if (values.preview && isProtectedStage(stage)) {
    const which = stage === PRODUCTION_STAGE ? `production stage "${stage}"` : `protected stage "${stage}"`;
    throw new Error(`This run resolves to the ${which}; a preview job never touches it.`);
  }
  if (deps.env.STAGE_ACTION === "destroy" && isProtectedStage(stage)) {
    throw new Error(
      `Stage "${stage}" is protected: no workflow destroys it. To destroy it on purpose, follow docs/data-safety.md ("Destroying a protected stage on purpose").`,
    );
  }
  setOutputs({ stage, environment: gitHubEnvironment(stage) });
  deps.out(stage);
  return 0;
}

async function pullRequestCommand(args: string[], deps: CliDeps): Promise<number> {
  options(args, {});
  const branch = gitHubBranch(deps.env);
  if (!branch) throw new Error("No branch: set GITHUB_REF_NAME, GITHUB_HEAD_REF or STAGE_BRANCH.");
  const number = await findOpenPullRequest(gitHubClientFromEnv(deps.env, deps.fetch), branch);
  setOutputs({ number: number === undefined ? "" : String(number) });
  if (number === undefined) deps.log(`No open pull request for branch ${branch}.`);
  else deps.out(String(number));
  return 0;
}

/** Exit status 0 only when neither alchemy's state nor Cloudflare has anything of the stage. */
async function verifyStage(stage: string, deps: CliDeps, branch?: string): Promise<boolean> {
  const [stateOutput, inventory] = await Promise.all([
    deps.stateList(stage, branch),
    loadInventory(deps.env, deps.fetch),
  ]);
  const verdict = teardownVerdict({
    stage,
    state: parseStateList(stateOutput, stage),
    cloudflare: cloudflareLeftovers(inventory, stage),
  });
  if (verdict.ok) deps.log(verdict.message);
  else reportError(deps.env, verdict.message);
  await appendSummary(verdict.ok ? verdict.message : `\`\`\`\n${verdict.message}\n\`\`\``);
  return verdict.ok;
}

async function verifyDestroyedCommand(args: string[], deps: CliDeps): Promise<number> {
  const values = options(args, { stage: { type: "string" } });
  if (!values.stage) throw new UsageError("verify:destroyed needs --stage NAME.");
  return (await verifyStage(assertValidStage(values.stage), deps)) ? 0 : 1;
}

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9][0-9]{0,3}$/.test(value)) throw new UsageError(`--${name} must be a whole number from 1 to 9999.`);
  return Number(value);
}

/** Default bound: 20 checks 6 s apart, two minutes for the new version to reach workers.dev. */
const VERIFY_ATTEMPTS = 20;
const VERIFY_INTERVAL_SECONDS = 6;

async function verifyDeployedCommand(args: string[], deps: CliDeps): Promise<number> {
  const values = options(args, {
    stage: { type: "string" },
    version: { type: "string" },
    url: { type: "string" },
    attempts: { type: "string" },
    "interval-seconds": { type: "string" },
  });
  if (!values.stage) throw new UsageError("verify:deployed needs --stage NAME.");
  const stage = assertValidStage(values.stage);
  const commit = deps.env.COMMIT_SHA || deps.env.GITHUB_SHA;
  const version = values.version ?? (commit ? releaseVersion(deps.env, "") : undefined);
  if (!version) throw new UsageError("verify:deployed needs --version, or COMMIT_SHA / GITHUB_SHA as the deploy had.");
  const url = values.url ?? (await workersDevUrl(cloudflareClientFromEnv(deps.env, deps.fetch), stage));
  const result = await verifyDeployed({
    stage,
    version,
    url,
    attempts: positiveInteger(values.attempts, "attempts", VERIFY_ATTEMPTS),
    intervalMs: positiveInteger(values["interval-seconds"], "interval-seconds", VERIFY_INTERVAL_SECONDS) * 1000,
    fetch: deps.fetch,
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  });
  // The signed-in half runs only once the version just deployed answers; the job (and so its GitHub deployment) is
  // green only if both pass.
  const signedIn = result.ok
    ? await probeSignedIn({
        stage,
        version,
        url,
        fetch: deps.fetch,
        credentials: { apiKey: deps.env[PROBE_API_KEY], derivationSecret: deps.env.ALCHEMY_PASSWORD },
      })
    : undefined;
  return reportProbe(deps, signedIn ? [result, signedIn] : [result]);
}

async function reportProbe(deps: CliDeps, results: { ok: boolean; message: string }[]): Promise<number> {
  for (const result of results) {
    if (result.ok) deps.log(result.message);
    else reportError(deps.env, result.message);
    await appendSummary(result.ok ? result.message : `\`\`\`\n${result.message}\n\`\`\``);
  }
  return results.every((result) => result.ok) ? 0 : 1;
}

async function rollbackCheckCommand(args: string[], deps: CliDeps): Promise<number> {
  const values = options(args, { stage: { type: "string" }, ref: { type: "string" }, target: { type: "string" } });
  if (!values.stage || !values.ref || !values.target) {
    throw new UsageError("rollback:check needs --stage NAME, --ref REF and --target DIR.");
  }
  const stage = assertValidStage(values.stage);
  if (!isProtectedStage(stage)) {
    throw new UsageError(`Stage "${stage}" is a preview: push the older code to its branch instead of rolling back.`);
  }
  const result = await checkRollback({
    stage,
    ref: values.ref,
    targetDir: values.target,
    newestDir: ".",
    accept: deps.env.ROLLBACK_ACCEPT,
    github: gitHubClientFromEnv(deps.env, deps.fetch),
    cloudflare: cloudflareClientFromEnv(deps.env, deps.fetch),
  });
  setOutputs({ sha: result.sha });
  if (result.ok) deps.log(result.message);
  else reportError(deps.env, result.message);
  await appendSummary(`\`\`\`\n${result.message}\n\`\`\``);
  if (result.ok) deps.out(result.sha);
  return result.ok ? 0 : 1;
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
  const deployed = deployedStages(inventory);
  // Owners are read off the Workers of deployed previews only: one call per open preview, none per old environment.
  const cloudflare = cloudflareClientFromEnv(deps.env, deps.fetch);
  const previews = previewEnvironmentStages(environments).filter((stage) => deployed.has(stage));
  const owners = new Map(
    await Promise.all(previews.map(async (stage) => [stage, (await readStageOwner(cloudflare, stage)).owner] as const)),
  );
  const plan = planSweep({ environments, branches, defaultBranch: mainBranch, deployed, owners });
  const stale = plan.stale;
  setOutputs({ stages: JSON.stringify(stale) });
  const summary = stale.length
    ? `Preview stages whose branch is gone: ${stale.join(", ")}`
    : "No preview stage outlived its branch.";
  deps.log(summary);
  for (const { stage, branch } of plan.kept.filter((kept) => isPreviewStage(kept.stage) || kept.branch)) {
    deps.log(`Kept ${stage}: branch "${branch}" owns it.`);
  }
  await appendSummary(summary);
  for (const stage of stale) deps.out(stage);
  if (values["dry-run"] || stale.length === 0) return 0;

  let failed = 0;
  for (const stage of stale) {
    // As the recorded owner: the deploy program destroys a preview only for the branch that owns it.
    const owner = owners.get(stage);
    await deps.destroy(stage, owner);
    if (!(await verifyStage(stage, deps, owner))) failed++;
  }
  return failed === 0 ? 0 : 1;
}

async function stageGateCommand(args: string[], deps: CliDeps): Promise<number> {
  const values = options(args, { for: { type: "string" }, stage: { type: "string" } });
  if (!values.stage) throw new UsageError("stage:gate needs --stage NAME.");
  if (!(GATE_PURPOSES as readonly string[]).includes(values.for ?? "")) {
    throw new UsageError(`stage:gate needs --for ${GATE_PURPOSES.join("|")}.`);
  }
  return gateCommand(values, deps);
}

async function stageRetireCommand(args: string[], deps: CliDeps): Promise<number> {
  const values = options(args, { stage: { type: "string" } });
  if (!values.stage) throw new UsageError("stage:retire needs --stage NAME.");
  return retireCommand(values, deps);
}

async function sweepEnvironments(args: string[], deps: CliDeps): Promise<number> {
  return sweepEnvironmentsCommand(options(args, { "dry-run": { type: "boolean" } }), deps);
}

/** Preview stages a team usually has open at once; fewer fitting on the account is worth a warning. */
const WANTED_PREVIEWS = 3;

async function setupCommand(args: string[], deps: CliDeps): Promise<number> {
  const values = options(args, { plan: { type: "string" }, previews: { type: "string" } });
  const plan = values.plan ?? "free";
  if (!(plan in PLAN_LIMITS)) throw new UsageError(`--plan must be ${Object.keys(PLAN_LIMITS).join(" or ")}.`);
  const checks = await runSetupChecks({
    env: deps.env,
    fetch: deps.fetch,
    gh: deps.gh ?? (async () => undefined),
    plan: plan as Plan,
    wantedPreviews: positiveInteger(values.previews, "previews", WANTED_PREVIEWS),
  });
  return reportSetup(checks, deps.log);
}

const COMMANDS: Record<string, (args: string[], deps: CliDeps) => Promise<number>> = {
  stage: stageCommand,
  "pull-request": pullRequestCommand,
  "verify-destroyed": verifyDestroyedCommand,
  "verify-deployed": verifyDeployedCommand,
  "rollback-check": rollbackCheckCommand,
  sweep: sweepCommand,
  "stage-gate": stageGateCommand,
  "stage-retire": stageRetireCommand,
  "sweep-environments": sweepEnvironments,
  setup: setupCommand,
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
