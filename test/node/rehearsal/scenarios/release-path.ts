// The production path of deploy.yml and the rollback of rollback.yml, run job by job on an account of their own
// (prod and staging are fixed names): CI → staging → prod, each ended by the probe whose outcome is the deployment's
// status; release N+1 rolled back to N with its data intact; a probe failure that stops the release at staging.
import { rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { withOwnAccount } from "../own-account.ts";
import { explain, type Rehearsal } from "../rehearsal-context.ts";
import { expectDataServed, postMessage, writeData } from "../release-data.ts";
import { toBrokenRelease, toCurrentRelease, toPreviousRelease } from "../release-fixture.ts";
import { health, stageClient } from "../user-flow.ts";
import { DEFAULT_BRANCH, dispatchEvent, pushEvent } from "../workflow/events.ts";
import type { JobResult } from "../workflow/run-workflow.ts";

const PROBE_STEP = "Verify the stage serves this commit (alchemy exits 0 when killed)";
const ROUND_TRIP = "a signed-in request round-trips";
/** Commits of this scenario's own: other scenarios share the run id and the GitHub double's deployments. */
const commit = (runId: string, n: number) => `${runId}ae${String(n).repeat(40)}`.slice(0, 40);
const statuses = (jobs: Record<string, JobResult>) =>
  Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, job.status]));
const step = (job: JobResult | undefined, name: string) => job?.steps.find((s) => s.name === name);

const RELEASED = { stage: "success", preview: "skipped", ci: "success", staging: "success", production: "success" };

export async function productionPathAndRollback(rehearsal: Rehearsal): Promise<void> {
  const { github, runId } = rehearsal;
  const project = await rehearsal.checkout();
  // What `actions/checkout` with `ref: <release N>` gives the rollback job: release N's tree.
  const releaseTree = await rehearsal.checkout();
  await toPreviousRelease(releaseTree);
  const checkout = async (_ref: string, path: string) => {
    await rm(join(project.dir, path), { recursive: true, force: true });
    await symlink(releaseTree.dir, join(project.dir, path), "dir");
  };
  const [releaseN, releaseN1, neverDeployed] = [commit(runId, 1), commit(runId, 2), commit(runId, 9)];
  const tagN = `v-${runId}-n`;
  const deploymentsOf = (sha: string) =>
    github.deployments.deployments
      .filter((d) => d.sha === sha)
      .map(({ environment, state }) => ({ environment, state }));

  await withOwnAccount({}, async ({ double }) => {
    const options = { double, checkout };
    // Release N: CI, then staging, then prod, each deploy ended by the probe; both deployments successful.
    const previous = await toPreviousRelease(project);
    const first = await rehearsal.workflow(
      project,
      "deploy.yml",
      pushEvent(DEFAULT_BRANCH, releaseN),
      undefined,
      options,
    );
    expect(statuses(first), explain(first)).toMatchObject(RELEASED);
    for (const job of [first.staging, first.production]) {
      expect(job?.steps.at(-1)?.name).toBe(PROBE_STEP);
      expect(job?.steps.at(-1)?.run.output).toContain(ROUND_TRIP);
    }
    expect(deploymentsOf(releaseN)).toEqual([
      { environment: "staging", state: "success" },
      { environment: "production", state: "success" },
    ]);
    const client = stageClient(step(first.production, "Deploy")?.outputs.url ?? "", double.gatewayUrl);
    expect(await health(client)).toMatchObject({ stage: "prod", version: releaseN.slice(0, 12) });
    const data = await writeData(client);
    github.deployments.tag(tagN, releaseN);

    // Release N+1 over it: the data is served by the new release.
    await toCurrentRelease(project);
    const second = await rehearsal.workflow(
      project,
      "deploy.yml",
      pushEvent(DEFAULT_BRANCH, releaseN1),
      undefined,
      options,
    );
    expect(statuses(second), explain(second)).toMatchObject(RELEASED);
    expect(await health(client)).toMatchObject({ version: releaseN1.slice(0, 12) });
    await expectDataServed(client, data);

    // A commit never released to production is refused before anything changes.
    const dispatch = (ref: string) => dispatchEvent(DEFAULT_BRANCH, releaseN1, { stage: "prod", ref, accept: "" });
    const refused = await rehearsal.workflow(project, "rollback.yml", dispatch(neverDeployed), undefined, options);
    expect(statuses(refused), explain(refused)).toEqual({
      stage: "success",
      staging: "skipped",
      production: "failure",
    });
    expect(refused.production?.steps.map((s) => s.name)).toEqual([
      "Check the release may go back on this stage's data",
    ]);
    expect(explain(refused)).toContain("was never deployed successfully to the production environment");
    expect(await health(client)).toMatchObject({ version: releaseN1.slice(0, 12) });

    // Roll prod back to N by its tag: the newer migration stays applied, the data is intact and served signed in.
    const rolledBack = await rehearsal.workflow(project, "rollback.yml", dispatch(tagN), undefined, options);
    expect(statuses(rolledBack), explain(rolledBack)).toEqual({
      stage: "success",
      staging: "skipped",
      production: "success",
    });
    expect(step(rolledBack.production, "Check the release may go back on this stage's data")?.run.output).toContain(
      `D1 migrations that stay applied (a rollback never undoes one): ${previous.migration}.`,
    );
    expect(rolledBack.production?.steps.at(-1)?.run.output).toContain(ROUND_TRIP);
    expect(await health(client)).toMatchObject({ stage: "prod", version: releaseN.slice(0, 12) });
    await expectDataServed(client, data);
    const afterRollback = await postMessage(client, data, "written after the rollback");
    expect(afterRollback.status, await afterRollback.clone().text()).toBe(201);
    await expectDataServed(client, data, ["written after the rollback"]);
    // Staging was not touched: it still serves N+1.
    const staging = stageClient(step(second.staging, "Deploy")?.outputs.url ?? "", double.gatewayUrl);
    expect(await health(staging)).toMatchObject({ stage: "staging", version: releaseN1.slice(0, 12) });
  });
}

export async function probeFailureStopsTheRelease(rehearsal: Rehearsal): Promise<void> {
  const { github, runId } = rehearsal;
  const project = await rehearsal.checkout();
  const broken = commit(runId, 7);
  await toBrokenRelease(project);
  await withOwnAccount({}, async ({ double }) => {
    const run = await rehearsal.workflow(project, "deploy.yml", pushEvent(DEFAULT_BRANCH, broken), undefined, {
      double,
    });
    // The deploy itself went through and /health serves the commit; the signed-in request fails, so staging is red,
    // its deployment failed, and prod is never deployed.
    expect(statuses(run), explain(run)).toMatchObject({ ci: "success", staging: "failure", production: "skipped" });
    expect(step(run.staging, "Deploy")?.run.code).toBe(0);
    const probe = run.staging?.steps.at(-1);
    expect(probe?.name).toBe(PROBE_STEP);
    expect(probe?.run.output).toContain(`Stage staging serves version ${broken.slice(0, 12)}`);
    expect(probe?.run.output).toContain("a signed-in request does NOT round-trip: POST /v1/sessions");
    expect(github.deployments.deployments.filter((d) => d.sha === broken)).toEqual([
      expect.objectContaining({ environment: "staging", state: "failure" }),
    ]);
  });
}
