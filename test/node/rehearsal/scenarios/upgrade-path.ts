// The upgrade path staging exists to test, rehearsed: the previous release holds data, the current one must serve all
// of it; then code rolls back one release over objects that already have the newer schema step, and forward again.
import { expect } from "vitest";
import type { Rehearsal } from "../rehearsal-context.ts";
import { expectDataServed, postMessage, writeData } from "../release-data.ts";
import { protectStage, toCurrentRelease, toPreviousRelease } from "../release-fixture.ts";
import { appliedMigrations, printedStageUrl, stageDatabase } from "../stage-inspection.ts";
import { stageClient } from "../user-flow.ts";

export async function upgradeThenRollBack(rehearsal: Rehearsal): Promise<void> {
  const { double, runId } = rehearsal;
  const stage = `rh-${runId}-upgrade`;
  const project = await rehearsal.checkout();
  await protectStage(project, stage);
  // The previous release (the checkout) in use: every kind of record written through its API.
  const previous = await toPreviousRelease(project);
  const currentFiles = [...(await project.migrationFiles()), previous.migration].sort();
  const first = await rehearsal.npm(project, "deploy", ["--stage", stage]);
  const client = stageClient(printedStageUrl(first.output, stage), double.gatewayUrl);
  const database = stageDatabase(double, stage);
  if (!database) throw new Error(`Stage ${stage} has no database on the double.`);
  expect(await appliedMigrations(double, database)).toEqual(currentFiles.filter((f) => f !== previous.migration));
  const data = await writeData(client);

  // The current release over it: the new migration runs on the existing rows, every record is still served, and
  // the sessions it touches take the new object schema step.
  await toCurrentRelease(project);
  const upgraded = await rehearsal.npm(project, "deploy", ["--stage", stage]);
  expect(upgraded.output).toContain(`Applied D1 migration ${previous.migration}`);
  expect(await appliedMigrations(double, database)).toEqual(currentFiles);
  await expectDataServed(client, data);
  expect((await postMessage(client, data, "written by the current release")).status).toBe(201);
  const afterUpgrade = ["written by the current release"];

  // Code rolled back one release: the database keeps its newer migration, and objects with the newer step are
  // served when the step says older code can read them, refused with a 503 in the API's format when it says not.
  await toPreviousRelease(project);
  const rolledBack = await rehearsal.npm(project, "deploy", ["--stage", stage]);
  expect(rolledBack.output).toContain(`${previous.migration} stay applied`);
  expect(await appliedMigrations(double, database)).toEqual(currentFiles);
  const rollbackWrite = await postMessage(client, data, "written after the rollback");
  if (previous.step.compatibleWithPrevious) {
    expect(rollbackWrite.status, await rollbackWrite.clone().text()).toBe(201);
    afterUpgrade.push("written after the rollback");
    await expectDataServed(client, data, afterUpgrade);
  } else {
    expect(rollbackWrite.status).toBe(503);
    expect(((await rollbackWrite.json()) as { error: { code: string } }).error.code).toBe("session_schema_too_new");
  }

  // Forward again: nothing lost on the way.
  await toCurrentRelease(project);
  await rehearsal.npm(project, "deploy", ["--stage", stage]);
  await expectDataServed(client, data, afterUpgrade);
}
