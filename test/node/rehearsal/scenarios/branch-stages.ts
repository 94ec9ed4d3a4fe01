// Each branch owns its stage: two branches whose names used to give one stage (`feature/login`, `feature-login`) get
// two, neither can deploy over or tear down the other's, and a teardown dropped from the queue is done by the deploy
// that replaced it (docs/previews.md).
import { expect } from "vitest";
import { gitHubEnvironment } from "../../../../infra/core/names.ts";
import { legacyStageForBranch, stageForBranch } from "../../../../infra/core/stage.ts";
import { PREVIEW_COMMENT_MARKER } from "../../../../infra/delivery/preview-comment.ts";
import { explain, type Rehearsal } from "../rehearsal-context.ts";
import { stageLeftovers, stageWorker } from "../stage-inspection.ts";
import { health, stageClient } from "../user-flow.ts";
import { DEFAULT_BRANCH, deleteEvent, pullRequestEvent, pushEvent } from "../workflow/events.ts";
import type { JobResult } from "../workflow/run-workflow.ts";

const commit = (runId: string, n: number) => `${runId}${String(n).repeat(40)}`.slice(0, 40);
const stepNames = (job: JobResult | undefined) => job?.steps.map((step) => step.name) ?? [];
const GATE_STEP = "Check the branch still wants its preview, and owns the stage";
const TEARDOWN_STEPS = [
  "Check the branch owns the stage",
  "Destroy",
  "Verify nothing is left (alchemy destroy exits 0 even when it fails)",
  "Mark the deployments inactive and say so on the pull request",
];

export async function collidingBranchesGetTwoStages(rehearsal: Rehearsal): Promise<void> {
  const { double, github, runId } = rehearsal;
  const project = await rehearsal.checkout();
  const [slash, dash] = [`feature/login-${runId}`, `feature-login-${runId}`];
  const [slashStage, dashStage] = [stageForBranch(slash, DEFAULT_BRANCH), stageForBranch(dash, DEFAULT_BRANCH)];
  // The old naming gave both branches one stage; today's gives each its own.
  expect(legacyStageForBranch(slash, DEFAULT_BRANCH)).toBe(legacyStageForBranch(dash, DEFAULT_BRANCH));
  expect(slashStage).not.toBe(dashStage);

  // Both deploy, each to its own stage, each recorded as owned by its exact branch name.
  const pullRequest = 40;
  github.openPullRequest(dash, pullRequest);
  const urls: string[] = [];
  for (const [branch, stage, event] of [
    [slash, slashStage, pushEvent(slash, commit(runId, 1))],
    [dash, dashStage, pullRequestEvent("opened", pullRequest, dash, commit(runId, 2))],
  ] as const) {
    const run = await rehearsal.workflow(project, "deploy.yml", event, ["stage", "preview"]);
    expect(run.preview?.status, explain(run)).toBe("success");
    expect(run.stage?.outputs.stage).toBe(stage);
    const url = run.preview?.steps.find((step) => step.name === "Deploy")?.outputs.url ?? "";
    expect(await health(stageClient(url, double.gatewayUrl))).toMatchObject({ ok: true, stage });
    const owner = stageWorker(double, stage)?.bindings.find((b) => b.name === "STAGE_OWNER");
    expect(owner).toMatchObject({ type: "plain_text", text: branch });
    urls.push(url);
  }
  const [slashUrl, dashUrl] = urls as [string, string];
  expect(github.comments(pullRequest)[0]?.body).toContain(dashUrl);

  // A laptop cannot name a branch's preview, and acting for the other branch it cannot deploy over it.
  const laptop = await rehearsal.npm(project, "deploy", ["--stage", slashStage], "nonzero");
  expect(laptop.output).toMatch(/reserved for them/);
  const refused = await rehearsal.npm(project, "deploy", ["--stage", slashStage], "nonzero", { STAGE_BRANCH: dash });
  expect(refused.output).toContain(`belongs to branch "${slash}"; branch "${dash}" may not deploy over it`);

  // Deleting feature-login tears down its stage only: feature/login keeps serving.
  github.closePullRequest(pullRequest);
  const deleted = await rehearsal.workflow(project, "teardown.yml", deleteEvent(dash, commit(runId, 3)));
  expect(deleted.destroy?.status, explain(deleted)).toBe("success");
  expect(stepNames(deleted.destroy)).toEqual(TEARDOWN_STEPS);
  expect(stageLeftovers(double, dashStage)).toEqual([]);
  expect(await health(stageClient(slashUrl, double.gatewayUrl))).toMatchObject({ ok: true, stage: slashStage });
  // Announced: the deployment is inactive, the comment says the preview is gone.
  expect(github.deployments.of(gitHubEnvironment(dashStage)).map((d) => d.statuses.at(-1))).toEqual(["inactive"]);
  expect(github.deployments.of(gitHubEnvironment(slashStage)).map((d) => d.statuses.at(-1))).toEqual(["success"]);
  const comment = github.comments(pullRequest)[0]?.body ?? "";
  expect(comment).toContain(PREVIEW_COMMENT_MARKER);
  expect(comment).toContain(`The preview stage \`${dashStage}\` is gone: branch \`${dash}\` was deleted`);
  expect(comment).not.toContain(dashUrl);
}

export async function droppedTeardownIsDoneByTheDeploy(rehearsal: Rehearsal): Promise<void> {
  const { double, github, runId } = rehearsal;
  const project = await rehearsal.checkout();
  const branch = `feature/queued-${runId}`;
  const stage = stageForBranch(branch, DEFAULT_BRANCH);
  const first = await rehearsal.workflow(project, "deploy.yml", pushEvent(branch, commit(runId, 4)), [
    "stage",
    "preview",
  ]);
  expect(first.preview?.status, explain(first)).toBe("success");
  expect(stageLeftovers(double, stage)).not.toEqual([]);

  // The branch is deleted; its teardown was queued behind a deploy of an earlier push, and GitHub dropped it when
  // yet another deploy of that branch queued after it. That last deploy runs now, holding the stage's group.
  github.deleteBranch(branch);
  const survivor = await rehearsal.workflow(project, "deploy.yml", pushEvent(branch, commit(runId, 5)), [
    "stage",
    "preview",
  ]);
  expect(survivor.preview?.status, explain(survivor)).toBe("success");
  const steps = stepNames(survivor.preview);
  expect(steps).toContain(GATE_STEP);
  expect(steps).not.toContain("Deploy");
  expect(steps.slice(-3)).toEqual(TEARDOWN_STEPS.slice(1));
  expect(survivor.preview?.steps.find((s) => s.name === GATE_STEP)?.outputs).toEqual({ action: "destroy", branch });
  expect(stageLeftovers(double, stage)).toEqual([]);
  // The earlier run's deployment is inactive. The current run's own deployment was marked inactive too, but GitHub
  // sets it to the job's outcome when the job ends, after every step (docs/previews.md, "Queued runs").
  const statuses = github.deployments.of(gitHubEnvironment(stage)).map((d) => d.statuses);
  expect(statuses).toEqual([
    ["success", "inactive"],
    ["inactive", "success"],
  ]);
}
