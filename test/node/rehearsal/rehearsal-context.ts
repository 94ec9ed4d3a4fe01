// What every rehearsal scenario shares: one Cloudflare account double, one GitHub double, throwaway project copies,
// and the check every command gets: no call either double does not know.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { type DeployVariable, previewSecret, RELEASE_ENVIRONMENTS } from "../../../infra/core/deploy-secrets.ts";
import { type CloudflareDouble, startCloudflareDouble } from "./cloudflare-double/index.ts";
import { copyProject, type ProjectCopy } from "./project-copy.ts";
import {
  machineEnv,
  PASSWORD_PEPPER,
  REHEARSAL_ACCOUNT_ID,
  REHEARSAL_API_TOKEN,
  rehearsalEnv,
  STATE_PASSWORD,
} from "./rehearsal-env.ts";
import { type CommandRun, describeRun, runNpm } from "./run-npm.ts";
import type { GitHubEvent } from "./workflow/events.ts";
import { REPOSITORY } from "./workflow/events.ts";
import { type GitHubDouble, startGitHubDouble } from "./workflow/github-double.ts";
import { type JobResult, loadWorkflow, runWorkflow, type Workflow } from "./workflow/run-workflow.ts";

const GITHUB_TOKEN = "ghs_rehearsal-not-a-token";

/**
 * Where docs/credentials.md puts the credentials: the release environments' secrets under the variables' own
 * names, the PREVIEW_* ones as repository secrets. The double is one account, so both hold the same values.
 */
function deploySecrets(credentials: Record<DeployVariable, string>) {
  const preview = Object.entries(credentials).map(([name, value]) => [previewSecret(name as DeployVariable), value]);
  return {
    secrets: Object.fromEntries(preview) as Record<string, string>,
    environmentSecrets: Object.fromEntries(RELEASE_ENVIRONMENTS.map((name) => [name, credentials])),
  };
}

export type Expected = number | "nonzero" | "any";

export interface Rehearsal {
  /** Makes stage and branch names unique to this run. */
  runId: string;
  double: CloudflareDouble;
  github: GitHubDouble;
  /** A fresh copy of the project: each scenario edits and deploys its own. */
  checkout(): Promise<ProjectCopy>;
  /** `npm run <script> -- <args>` from a laptop: the double's credentials, state on disk in the copy. */
  npm(
    project: ProjectCopy,
    script: string,
    args: string[],
    expected?: Expected,
    env?: Record<string, string>,
  ): Promise<CommandRun>;
  /** A workflow file of the copy, run for one GitHub event with the repository's secrets. */
  workflow(
    project: ProjectCopy,
    file: string,
    event: GitHubEvent,
    only?: string[],
    options?: WorkflowOptions,
  ): Promise<Record<string, JobResult>>;
}

export interface WorkflowOptions {
  /** A Cloudflare account of the scenario's own (own-account.ts) instead of the shared one. */
  double?: CloudflareDouble;
  /** What a second `actions/checkout` (with a `path`) puts there. */
  checkout?: (ref: string, path: string) => Promise<void>;
}

/** Every step a workflow run executed, with its output: the message of a failed expectation. */
export function explain(jobs: Record<string, JobResult>): string {
  return Object.values(jobs)
    .flatMap((job) => job.steps.map((step) => describeRun(step.run)))
    .join("\n\n");
}

/** Registers the doubles' start and stop with the enclosing `describe`; fields are ready inside tests. */
export function useRehearsal(): Rehearsal {
  const projects: ProjectCopy[] = [];
  const runId = randomBytes(3).toString("hex");
  let double: CloudflareDouble | undefined;
  let github: GitHubDouble | undefined;

  beforeAll(async () => {
    [double, github] = await Promise.all([
      startCloudflareDouble({ accountId: REHEARSAL_ACCOUNT_ID, apiToken: REHEARSAL_API_TOKEN }),
      startGitHubDouble({ repository: REPOSITORY, token: GITHUB_TOKEN }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([double?.stop(), github?.stop()]);
    await Promise.all(projects.map((project) => project.remove()));
  });

  const ready = () => {
    if (!double || !github) throw new Error("The rehearsal's doubles are not running.");
    return { double, github };
  };

  const expectKnownCalls = (details: string) => {
    const { double, github } = ready();
    expect(double.unknownCalls(), `calls the Cloudflare double does not know:\n${details}`).toEqual([]);
    expect(
      github.calls.filter((call) => !call.known),
      `calls the GitHub double does not know:\n${details}`,
    ).toEqual([]);
  };

  return {
    runId,
    get double() {
      return ready().double;
    },
    get github() {
      return ready().github;
    },
    async checkout() {
      const project = await copyProject();
      projects.push(project);
      return project;
    },
    async npm(project, script, args, expected = 0, env = {}) {
      const run = await runNpm(project.dir, script, args, { ...rehearsalEnv(ready().double, project.dir), ...env });
      expectKnownCalls(describeRun(run));
      if (expected === "nonzero") expect(run.code, describeRun(run)).not.toBe(0);
      else if (expected !== "any") expect(run.code, describeRun(run)).toBe(expected);
      return run;
    },
    async workflow(project, file, event, only, options = {}) {
      const { github } = ready();
      const double = options.double ?? ready().double;
      const workflow = await loadWorkflow(join(project.workflowsDir, file));
      const jobs = only ? Object.fromEntries(only.map((id) => [id, workflow.jobs[id]])) : workflow.jobs;
      // GitHub sends a delete event once the branch is gone.
      if (event.name === "delete") github.deleteBranch(String(event.payload.ref));
      const result = await runWorkflow({ ...workflow, jobs } as Workflow, event, {
        dir: project.dir,
        machineEnv: machineEnv(double, project.dir),
        apiUrl: github.url,
        token: GITHUB_TOKEN,
        checkout: options.checkout,
        startDeployment: (deployment) => github.deployments.start(deployment),
        ...deploySecrets({
          CLOUDFLARE_API_TOKEN: REHEARSAL_API_TOKEN,
          CLOUDFLARE_ACCOUNT_ID: REHEARSAL_ACCOUNT_ID,
          ALCHEMY_PASSWORD: STATE_PASSWORD,
          ALCHEMY_STATE_TOKEN: `state-token-${runId}`,
          PASSWORD_PEPPER,
        }),
      });
      expectKnownCalls(explain(result));
      expect(double.unknownCalls(), `calls the Cloudflare double does not know:\n${explain(result)}`).toEqual([]);
      return result;
    },
  };
}
