// What must fail loudly: a deploy that would drop a Durable Object class, and a teardown that left something behind.
import { expect } from "vitest";
import type { Rehearsal } from "../rehearsal-context.ts";
import { physicalNames, printedStageUrl, stageDatabase, stageLeftovers } from "../stage-inspection.ts";
import { health, stageClient } from "../user-flow.ts";

export async function guardRails(rehearsal: Rehearsal): Promise<void> {
  const { double, runId } = rehearsal;
  const stage = `rh-${runId}-guard`;
  const project = await rehearsal.checkout();
  const { database } = physicalNames(stage);
  const deployed = await rehearsal.npm(project, "deploy", ["--stage", stage]);
  const client = stageClient(printedStageUrl(deployed.output, stage), double.gatewayUrl);

  // Renaming a namespace's resource id makes alchemy delete and re-create its class: Cloudflare refuses that
  // while the class is bound (it would destroy every object); the stage keeps serving the last good version.
  await project.edit("infra/core/names.ts", (text) =>
    text.replace('sessions: "sessions"', 'sessions: "sessions-renamed"'),
  );
  const refused = await rehearsal.npm(project, "deploy", ["--stage", stage], "nonzero");
  expect(refused.output).toContain("Cannot apply --delete-class migration to class 'SessionDO'");
  await project.edit("infra/core/names.ts", (text) =>
    text.replace('sessions: "sessions-renamed"', 'sessions: "sessions"'),
  );
  expect(await health(client)).toMatchObject({ ok: true, stage });

  // Only this stage's database: the other scenarios share the account.
  const uuid = stageDatabase(double, stage)?.uuid;
  const heal = double.injectFault({ method: "DELETE", path: new RegExp(`/d1/database/${uuid}$`) });
  try {
    // alchemy may or may not exit non-zero here; the verification step is what must not be fooled.
    await rehearsal.npm(project, "destroy", ["--stage", stage], "any");
    expect(stageLeftovers(double, stage)).toEqual([`D1 ${database}`]);
    const verify = await rehearsal.npm(project, "verify:destroyed", ["--stage", stage], "nonzero");
    expect(verify.output).toContain(database);
  } finally {
    heal();
  }

  // What the verification tells an operator to do: run the destroy again.
  await rehearsal.npm(project, "destroy", ["--stage", stage]);
  expect(stageLeftovers(double, stage)).toEqual([]);
}
