// Runs a workflow file's jobs for one event the way a runner would: `if:` conditions, `needs` outputs, each `run:`
// step in bash with its `env:` rendered, $GITHUB_OUTPUT read back. `uses:` steps and `npm ci` are the checkout's job,
// but for a second checkout into a `path` (the runner's hook) and the deployment GitHub records for an environment.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { parseStepOutputs } from "../../helpers/step-outputs.ts";
import { type CommandRun, runCommand } from "../run-npm.ts";
import { defaultVariables, type GitHubEvent, githubContext } from "./events.ts";
import { type Context, condition, interpolate } from "./expressions.ts";

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  "working-directory"?: string;
}

interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string; url?: string };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  /** A job that calls a reusable workflow has `uses` and no steps. */
  uses?: string;
  steps?: Step[];
}

export interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export interface StepResult {
  name: string;
  run: CommandRun;
  outputs: Record<string, string>;
}

export interface JobResult {
  status: "success" | "failure" | "skipped";
  outputs: Record<string, string>;
  steps: StepResult[];
}

export interface Runner {
  dir: string;
  machineEnv: NodeJS.ProcessEnv;
  apiUrl: string;
  token: string;
  /** Repository secrets: every job reads them. */
  secrets: Record<string, string>;
  /** Environment secrets by environment name: only a job running in that environment reads them, as on GitHub. */
  environmentSecrets?: Record<string, Record<string, string>>;
  /** `actions/checkout` with a `path`: puts `ref` there (the job's own checkout is `dir` itself). */
  checkout?: (ref: string, path: string) => Promise<void>;
  /**
   * GitHub gives a job with `environment:` a deployment of the event's commit when the job starts, and sets its
   * status to the job's outcome when it ends: called at the start, it returns what is called at the end.
   */
  startDeployment?: (deployment: Omit<JobDeployment, "state">) => (state: JobDeployment["state"]) => void;
}

export interface JobDeployment {
  environment: string;
  sha: string;
  state: "success" | "failure";
}

/** The job's environment name with its expressions rendered (`${{ needs.stage.outputs.environment }}`); "" for none. */
function environmentOf(job: Job, context: Context): string {
  const name = typeof job.environment === "string" ? job.environment : job.environment?.name;
  return name ? interpolate(name, context) : "";
}

export async function loadWorkflow(path: string): Promise<Workflow> {
  return parse(await readFile(path, "utf8")) as Workflow;
}

const renderAll = (values: Record<string, string> | undefined, context: Context) =>
  Object.fromEntries(Object.entries(values ?? {}).map(([key, value]) => [key, interpolate(String(value), context)]));

/** Runs every job whose `needs` succeeded and whose `if:` holds, in file order (the order the workflows list them). */
export async function runWorkflow(
  workflow: Workflow,
  event: GitHubEvent,
  runner: Runner,
): Promise<Record<string, JobResult>> {
  const results: Record<string, JobResult> = {};
  const scratch = await mkdtemp(join(tmpdir(), "workflow-rehearsal-"));
  try {
    for (const [id, job] of Object.entries(workflow.jobs)) {
      const needs = [job.needs ?? []].flat();
      const context: Context = {
        github: githubContext(event, runner.token),
        inputs: event.inputs ?? {},
        secrets: runner.secrets,
        needs: Object.fromEntries(needs.map((name) => [name, { outputs: results[name]?.outputs ?? {} }])),
        steps: {},
      };
      context.secrets = { ...runner.secrets, ...runner.environmentSecrets?.[environmentOf(job, context)] };
      const ready = needs.every((name) => results[name]?.status === "success");
      const runs = ready && condition(job.if, context);
      // A called workflow (`jobs.<id>.uses`) is CI itself, which is what runs this rehearsal: it passed.
      if (runs && job.uses) results[id] = { status: "success", outputs: {}, steps: [] };
      else if (runs) {
        const environment = environmentOf(job, context);
        const finish = environment ? runner.startDeployment?.({ environment, sha: event.sha }) : undefined;
        results[id] = await runJob(workflow, job, event, runner, context, scratch);
        finish?.(results[id]?.status === "success" ? "success" : "failure");
      } else results[id] = { status: "skipped", outputs: {}, steps: [] };
    }
    return results;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function runJob(
  workflow: Workflow,
  job: Job,
  event: GitHubEvent,
  runner: Runner,
  context: Context,
  scratch: string,
): Promise<JobResult> {
  const steps: StepResult[] = [];
  const stepContexts = context.steps as Record<string, { outputs: Record<string, string> }>;
  const env = { ...renderAll(workflow.env, context), ...renderAll(job.env, context) };
  for (const [index, step] of (job.steps ?? []).entries()) {
    if (step.uses?.startsWith("actions/checkout@") && step.with?.path !== undefined) {
      if (!runner.checkout) throw new Error(`A checkout into ${String(step.with.path)} needs the runner's checkout.`);
      await runner.checkout(interpolate(String(step.with.ref ?? ""), context), String(step.with.path));
      continue;
    }
    if (step.uses || !step.run || /^npm ci\b/.test(step.run) || !condition(step.if, context)) continue;
    const cwd = step["working-directory"] ? join(runner.dir, step["working-directory"]) : runner.dir;
    // Like the runner: each step gets its own, existing, output and summary files.
    const outputFile = join(scratch, `output-${steps.length}-${index}`);
    const summaryFile = join(scratch, `summary-${steps.length}-${index}.md`);
    await Promise.all([writeFile(outputFile, ""), writeFile(summaryFile, "")]);
    const stepEnv = {
      ...runner.machineEnv,
      ...defaultVariables(event, runner.apiUrl),
      ...env,
      ...renderAll(step.env, context),
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      // The rehearsal's alchemy keeps its local files in the directory it deploys from.
      ...(cwd === runner.dir ? {} : { ALCHEMY_ROOT: cwd }),
    };
    const script = interpolate(step.run, context);
    const run = await runCommand(
      `[${step.name ?? step.id ?? script}] ${script}`,
      "bash",
      ["--noprofile", "--norc", "-eo", "pipefail", "-c", script],
      { cwd, env: stepEnv },
    );
    const outputs = parseStepOutputs(await readFile(outputFile, "utf8"));
    steps.push({ name: step.name ?? step.id ?? script, run, outputs });
    if (step.id) stepContexts[step.id] = { outputs };
    if (run.code !== 0) return { status: "failure", outputs: {}, steps };
  }
  return { status: "success", outputs: renderAll(job.outputs, context), steps };
}
