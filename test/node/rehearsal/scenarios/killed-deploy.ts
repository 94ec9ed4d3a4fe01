// A deploy whose alchemy run is interrupted exits 0 (alchemy maps 130 and signal deaths to 0, sanitizeExitCode); the
// workflow's /health check turns it red.
import { expect } from "vitest";
import { stageForBranch } from "../../../../infra/core/stage.ts";
import { explain, type Rehearsal } from "../rehearsal-context.ts";
import { health, stageClient } from "../user-flow.ts";
import { DEFAULT_BRANCH, pushEvent } from "../workflow/events.ts";

const VERIFY_STEP = "Verify the stage serves this commit (alchemy exits 0 when killed)";
const commit = (runId: string, n: number) => `${runId}${String(n).repeat(40)}`.slice(0, 40);

export async function killedDeployIsRed(rehearsal: Rehearsal): Promise<void> {
  const { double, runId } = rehearsal;
  const project = await rehearsal.checkout();
  const branch = `rehearsal/killed-${runId}`;
  const stage = stageForBranch(branch, DEFAULT_BRANCH);
  // Keep the check's bound short here: the stage is not going to change its mind.
  await project.edit(".github/workflows/deploy.yml", (text) =>
    text.replaceAll(
      'npm run verify:deployed -- --stage "$STAGE"',
      'npm run verify:deployed -- --stage "$STAGE" --attempts 3 --interval-seconds 1',
    ),
  );

  const first = await rehearsal.workflow(project, "deploy.yml", pushEvent(branch, commit(runId, 1)), [
    "stage",
    "preview",
  ]);
  expect(first.preview?.status, explain(first)).toBe("success");
  const url = first.preview?.steps.find((step) => step.name === "Deploy")?.outputs.url ?? "";
  const client = stageClient(url, double.gatewayUrl);
  expect(await health(client)).toMatchObject({ stage, version: commit(runId, 1).slice(0, 12) });

  // The next deploy is interrupted part-way: SIGINT, what a runner sends when a job is cancelled.
  await project.edit("alchemy.run.ts", (text) =>
    text.replace(
      "export const worker = await provisionStack(",
      'process.kill(process.pid, "SIGINT");\nexport const worker = await provisionStack(',
    ),
  );
  const second = await rehearsal.workflow(project, "deploy.yml", pushEvent(branch, commit(runId, 2)), [
    "stage",
    "preview",
  ]);
  const steps = second.preview?.steps ?? [];
  expect(second.preview?.status, explain(second)).toBe("failure");
  // alchemy 0.94 reports the interrupted run as a success: the deploy step alone would have been green.
  expect(steps.find((step) => step.name === "Deploy")?.run.code, explain(second)).toBe(0);
  const verify = steps.at(-1);
  expect(verify?.name).toBe(VERIFY_STEP);
  expect(verify?.run.output).toContain(`Stage ${stage} is NOT serving version ${commit(runId, 2).slice(0, 12)}`);
  expect(verify?.run.output).toContain(`version ${commit(runId, 1).slice(0, 12)}`);
}
