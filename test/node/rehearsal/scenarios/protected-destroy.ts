// Destroying a protected stage: refused without ALLOW_DESTROY_PROTECTED naming it; with it, the D1 database is kept.
import { expect } from "vitest";
import { ALLOW_DESTROY_VARIABLE } from "../../../../infra/data-safety/destroy-guard.ts";
import { withOwnAccount } from "../own-account.ts";
import type { Rehearsal } from "../rehearsal-context.ts";
import { physicalNames, printedStageUrl, stageDatabase, stageLeftovers } from "../stage-inspection.ts";
import { readMessages, runUserFlow, stageClient } from "../user-flow.ts";

const STAGE = "staging";

export async function protectedStageDestroy(rehearsal: Rehearsal): Promise<void> {
  const project = await rehearsal.checkout();
  await withOwnAccount({}, async ({ double, npm }) => {
    const deployed = await npm(project, "deploy", ["--stage", STAGE]);
    const client = stageClient(printedStageUrl(deployed.output, STAGE), double.gatewayUrl);
    const flow = await runUserFlow(client);
    const everything = [`Worker ${physicalNames(STAGE).worker}`, `D1 ${physicalNames(STAGE).database}`];

    // Refused before alchemy starts, also when the variable names another stage: nothing is touched.
    for (const env of [{}, { [ALLOW_DESTROY_VARIABLE]: "prod" }] as Record<string, string>[]) {
      const refused = await npm(project, "destroy", ["--stage", STAGE], "nonzero", env);
      expect(refused.output).toContain(`Refusing to destroy the protected stage "${STAGE}"`);
      expect(stageLeftovers(double, STAGE)).toEqual(everything);
    }
    expect(double.calls.filter((call) => call.method === "DELETE")).toEqual([]);
    expect(await readMessages(client, flow)).toEqual([flow.content]);
    expect(await project.stateFiles(STAGE)).not.toEqual([]);

    // On purpose: the Worker and its Durable Objects go, the database and every row in it stay (delete: false).
    const database = stageDatabase(double, STAGE);
    await npm(project, "destroy", ["--stage", STAGE], 0, { [ALLOW_DESTROY_VARIABLE]: STAGE });
    expect(stageLeftovers(double, STAGE)).toEqual([`D1 ${physicalNames(STAGE).database}`]);
    expect(stageDatabase(double, STAGE)?.uuid).toBe(database?.uuid);
    const [users] = await double.edge.query(database?.uuid as string, ["SELECT count(*) AS n FROM users"]);
    expect(users?.results).toEqual([{ n: 1 }]);
    expect(await project.stateFiles(STAGE)).toEqual([]);
    expect((await client.request("/health")).status).toBe(404);
  });
}
