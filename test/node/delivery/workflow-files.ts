// Loads the GitHub workflows as text and as parsed YAML, typed just enough for the invariant tests.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const WORKFLOWS_DIR = ".github/workflows";

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  "continue-on-error"?: unknown;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string; url?: string };
  concurrency?: string | { group: string; "cancel-in-progress"?: unknown };
  outputs?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  /** A job calling a reusable workflow (`uses: ./.github/workflows/x.yml`); loadWorkflows gives it `steps: []`. */
  uses?: string;
  with?: Record<string, unknown>;
  steps: Step[];
}

export interface Trigger {
  branches?: string[];
  types?: string[];
  inputs?: Record<string, Record<string, unknown>>;
}

export interface Workflow {
  file: string;
  text: string;
  name: string;
  on: Record<string, unknown>;
  permissions?: unknown;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export function loadWorkflows(): Workflow[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(join(WORKFLOWS_DIR, file), "utf8");
      // YAML 1.1 reads a bare `on:` key as `true`; GitHub reads it as "on". The yaml package is 1.2.
      const parsed = parse(text) as Omit<Workflow, "file" | "text">;
      for (const job of Object.values(parsed.jobs)) job.steps ??= [];
      return { file, text, ...parsed };
    });
}

export function workflow(file: string): Workflow {
  const found = loadWorkflows().find((w) => w.file === file);
  if (!found) throw new Error(`No workflow ${file}`);
  return found;
}

/** One trigger's settings (`{}` when it has none); `schedule` is read from `on` directly. */
export function trigger(w: Workflow, event: string): Trigger {
  return (w.on[event] ?? {}) as Trigger;
}

export function allJobs(workflows: Workflow[]): { workflow: Workflow; id: string; job: Job }[] {
  return workflows.flatMap((w) => Object.entries(w.jobs).map(([id, job]) => ({ workflow: w, id, job })));
}

/** Step env over job env over workflow env, as GitHub resolves it. */
export function stepEnv(job: Job, step: Step): Record<string, string> {
  return { ...job.env, ...step.env };
}

/** Runs a script matching the pattern. */
export function runs(step: Step, pattern: RegExp): boolean {
  return typeof step.run === "string" && pattern.test(step.run);
}

export function usesSecrets(job: Job): boolean {
  return JSON.stringify(job).includes("secrets.");
}

/** The names of the secrets a piece of a workflow reads (`secrets.NAME`), in order, repeated as they occur. */
export function secretNames(value: unknown): string[] {
  return [...(JSON.stringify(value) ?? "").matchAll(/\bsecrets\.(\w+)/g)].map((m) => m[1] as string);
}

/** A job with its steps' `env` removed: what must never mention a secret. */
export function withoutStepEnv(job: Job): Omit<Job, "steps"> & { steps: Omit<Step, "env">[] } {
  return { ...job, steps: job.steps.map(({ env: _env, ...rest }) => rest) };
}
