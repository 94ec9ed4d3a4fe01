// The delivery workflows, rehearsed: their deploy and teardown jobs run step by step, with the variables GitHub sets
// for a push, a pull request and a branch delete, against the Cloudflare double and a GitHub API double.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PREVIEW_COMMENT_MARKER } from "../../../infra/delivery/preview-comment.ts";
import { gitHubEnvironment } from "../../../infra/names.ts";
import { stageForBranch } from "../../../infra/stage.ts";
import { type CloudflareDouble, startCloudflareDouble } from "./cloudflare-double/index.ts";
import { copyProject, type ProjectCopy } from "./project-copy.ts";
import { machineEnv, REHEARSAL_ACCOUNT_ID, REHEARSAL_API_TOKEN, STATE_PASSWORD } from "./rehearsal-env.ts";
import { describeRun } from "./run-npm.ts";
import { stageLeftovers } from "./stage-inspection.ts";
import { health, stageClient } from "./user-flow.ts";
import {
  DEFAULT_BRANCH,
  deleteEvent,
  type GitHubEvent,
  pullRequestEvent,
  pushEvent,
  REPOSITORY,
} from "./workflow/events.ts";
import { type GitHubDouble, startGitHubDouble } from "./workflow/github-double.ts";
import { type JobResult, loadWorkflow, type Runner, runWorkflow, type Workflow } from "./workflow/run-workflow.ts";

const GITHUB_TOKEN = "ghs_rehearsal-not-a-token";
const runId = randomBytes(3).toString("hex");
/** Each scenario takes seconds on an idle machine; the margin is for a CI runner shared with other jobs. */
const REHEARSAL_TIMEOUT_MS = 150_000;
const sha = (n: number) => `${runId}${String(n).repeat(34)}`.slice(0, 40);

/** Which jobs ran and how; a failed step's output is in the message when an expectation fails. */
function summary(jobs: Record<string, JobResult>) {
  return Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, job.status]));
}
function explain(jobs: Record<string, JobResult>): string {
  return Object.values(jobs)
    .flatMap((job) => job.steps.map((step) => describeRun(step.run)))
    .join("\n\n");
}

// Independent scenarios: the stage-only checks run while the preview is being deployed.
describe.concurrent("workflow rehearsal: preview deploy and teardown jobs", () => {
  let double: CloudflareDouble;
  let github: GitHubDouble;
  let project: ProjectCopy;
  let deploy: Workflow;
  let teardown: Workflow;
  let runner: Runner;

  beforeAll(async () => {
    [double, github, project] = await Promise.all([
      startCloudflareDouble({ accountId: REHEARSAL_ACCOUNT_ID, apiToken: REHEARSAL_API_TOKEN }),
      startGitHubDouble({ repository: REPOSITORY, token: GITHUB_TOKEN }),
      copyProject(),
    ]);
    deploy = await loadWorkflow(join(project.workflowsDir, "deploy.yml"));
    teardown = await loadWorkflow(join(project.workflowsDir, "teardown.yml"));
    runner = {
      dir: project.dir,
      machineEnv: machineEnv(double, project.dir),
      apiUrl: github.url,
      token: GITHUB_TOKEN,
      secrets: {
        CLOUDFLARE_API_TOKEN: REHEARSAL_API_TOKEN,
        CLOUDFLARE_ACCOUNT_ID: REHEARSAL_ACCOUNT_ID,
        ALCHEMY_PASSWORD: STATE_PASSWORD,
        ALCHEMY_STATE_TOKEN: `state-token-${runId}`,
      },
    };
  });

  afterAll(async () => {
    await Promise.all([double?.stop(), github?.stop()]);
    await project?.remove();
  });

  async function run(workflow: Workflow, event: GitHubEvent) {
    const jobs = await runWorkflow(workflow, event, runner);
    expect(double.unknownCalls(), `calls the Cloudflare double does not know:\n${explain(jobs)}`).toEqual([]);
    expect(
      github.calls.filter((call) => !call.known),
      "calls the GitHub double does not know",
    ).toEqual([]);
    return jobs;
  }

  it(
    "push → pull request → branch delete: one preview stage, announced on its pull request, torn down and verified",
    async () => {
      const branch = `feature/Rehearsal_${runId}`;
      const stage = stageForBranch(branch, DEFAULT_BRANCH);
      const PR = 7;

      // A push before any pull request: the preview is deployed and nobody is told.
      const pushed = await run(deploy, pushEvent(branch, sha(1)));
      expect(summary(pushed), explain(pushed)).toEqual({
        stage: "success",
        preview: "success",
        production: "skipped",
        destroy: "skipped",
        "destroy-production": "skipped",
      });
      expect(pushed.stage?.outputs).toEqual({ stage, environment: gitHubEnvironment(stage) });
      const url = pushed.preview?.steps.find((step) => step.name === "Deploy")?.outputs.url ?? "";
      expect(await health(stageClient(url, double.gatewayUrl))).toMatchObject({ ok: true, stage });
      expect(github.comments(PR)).toEqual([]);

      // The pull request is opened: same stage, and the preview comment appears with the URL and the head commit.
      github.openPullRequest(branch, PR);
      const opened = await run(deploy, pullRequestEvent("opened", PR, branch, sha(2)));
      expect(summary(opened).preview, explain(opened)).toBe("success");
      expect(opened.stage?.outputs.stage).toBe(stage);
      const [comment] = github.comments(PR);
      expect(github.comments(PR)).toHaveLength(1);
      expect(comment?.body).toContain(PREVIEW_COMMENT_MARKER);
      expect(comment?.body).toContain(url);
      expect(comment?.body).toContain(sha(2));

      // The branch is deleted: the teardown resolves the same stage from the payload, destroys it and verifies.
      github.closePullRequest(PR);
      const deleted = await run(teardown, deleteEvent(branch, sha(4)));
      expect(summary(deleted), explain(deleted)).toEqual({ stage: "success", destroy: "success" });
      expect(deleted.destroy?.steps.map((step) => step.name)).toEqual([
        "Destroy",
        "Verify nothing is left (alchemy destroy exits 0 even when it fails)",
      ]);
      expect(stageLeftovers(double, stage)).toEqual([]);
      expect((await stageClient(url, double.gatewayUrl).request("/health")).status).toBe(404);
    },
    REHEARSAL_TIMEOUT_MS,
  );

  it(
    "a push to the default branch resolves to production, and the teardown refuses to touch it",
    async () => {
      const jobs = await runWorkflow(
        { ...deploy, jobs: { stage: deploy.jobs.stage } } as Workflow,
        pushEvent(DEFAULT_BRANCH, sha(5)),
        runner,
      );
      expect(jobs.stage?.outputs, explain(jobs)).toEqual({ stage: "prod", environment: "production" });
      const refused = await runWorkflow(
        { ...teardown, jobs: { stage: teardown.jobs.stage } } as Workflow,
        deleteEvent(DEFAULT_BRANCH, sha(6)),
        runner,
      );
      expect(refused.stage?.status, explain(refused)).toBe("failure");
      expect(explain(refused)).toMatch(/production stage "prod"/);
    },
    REHEARSAL_TIMEOUT_MS,
  );
});
