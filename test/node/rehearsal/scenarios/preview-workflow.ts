// The delivery workflows' jobs, step by step, for the events GitHub sends: a branch's preview from push to delete,
// and the default branch, which is production and which the teardown refuses.
import { expect } from "vitest";
import { gitHubEnvironment } from "../../../../infra/core/names.ts";
import { stageForBranch } from "../../../../infra/core/stage.ts";
import { PREVIEW_COMMENT_MARKER } from "../../../../infra/delivery/preview-comment.ts";
import { explain, type Rehearsal } from "../rehearsal-context.ts";
import { stageLeftovers } from "../stage-inspection.ts";
import { health, stageClient } from "../user-flow.ts";
import { DEFAULT_BRANCH, deleteEvent, pullRequestEvent, pushEvent } from "../workflow/events.ts";
import type { JobResult } from "../workflow/run-workflow.ts";

const TEARDOWN_STEPS = [
  "Check the branch owns the stage",
  "Destroy",
  "Verify nothing is left (alchemy destroy exits 0 even when it fails)",
  "Mark the deployments inactive and say so on the pull request",
];

const statuses = (jobs: Record<string, JobResult>) =>
  Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, job.status]));

const commit = (runId: string, n: number) => `${runId}${String(n).repeat(40)}`.slice(0, 40);

export async function previewFromPushToDelete(rehearsal: Rehearsal): Promise<void> {
  const { double, github, runId } = rehearsal;
  const project = await rehearsal.checkout();
  const branch = `feature/Rehearsal_${runId}`;
  const stage = stageForBranch(branch, DEFAULT_BRANCH);
  const pullRequest = 7;

  // A push before any pull request: the preview is deployed (state in CloudflareStateStore) and nobody is told.
  const pushed = await rehearsal.workflow(project, "deploy.yml", pushEvent(branch, commit(runId, 1)));
  expect(statuses(pushed), explain(pushed)).toEqual({
    stage: "success",
    preview: "success",
    ci: "skipped",
    staging: "skipped",
    production: "skipped",
    destroy: "skipped",
  });
  expect(pushed.stage?.outputs).toEqual({ stage, environment: gitHubEnvironment(stage) });
  const url = pushed.preview?.steps.find((step) => step.name === "Deploy")?.outputs.url ?? "";
  expect(await health(stageClient(url, double.gatewayUrl))).toMatchObject({ ok: true, stage });
  expect(github.comments(pullRequest)).toEqual([]);

  // The pull request is opened: same stage, and the preview comment appears with the URL and the head commit.
  github.openPullRequest(branch, pullRequest);
  const opened = await rehearsal.workflow(
    project,
    "deploy.yml",
    pullRequestEvent("opened", pullRequest, branch, commit(runId, 2)),
  );
  expect(statuses(opened).preview, explain(opened)).toBe("success");
  expect(opened.stage?.outputs.stage).toBe(stage);
  expect(github.comments(pullRequest)).toHaveLength(1);
  const body = github.comments(pullRequest)[0]?.body ?? "";
  for (const part of [PREVIEW_COMMENT_MARKER, url, commit(runId, 2)]) expect(body).toContain(part);

  // The branch is deleted: the teardown finds the stage from the payload, destroys it and verifies.
  github.closePullRequest(pullRequest);
  const deleted = await rehearsal.workflow(project, "teardown.yml", deleteEvent(branch, commit(runId, 3)));
  expect(statuses(deleted), explain(deleted)).toEqual({ stage: "success", destroy: "success" });
  expect(deleted.destroy?.steps.map((step) => step.name)).toEqual(TEARDOWN_STEPS);
  expect(stageLeftovers(double, stage)).toEqual([]);
  expect((await stageClient(url, double.gatewayUrl).request("/health")).status).toBe(404);
}

export async function productionIsNeverAPreview(rehearsal: Rehearsal): Promise<void> {
  const project = await rehearsal.checkout();
  const push = pushEvent(DEFAULT_BRANCH, commit(rehearsal.runId, 4));
  const resolved = await rehearsal.workflow(project, "deploy.yml", push, ["stage"]);
  expect(resolved.stage?.outputs, explain(resolved)).toEqual({ stage: "prod", environment: "production" });
  const teardown = deleteEvent(DEFAULT_BRANCH, commit(rehearsal.runId, 5));
  const refused = await rehearsal.workflow(project, "teardown.yml", teardown, ["stage"]);
  expect(refused.stage?.status, explain(refused)).toBe("failure");
  expect(explain(refused)).toMatch(/production stage "prod"/);
}
