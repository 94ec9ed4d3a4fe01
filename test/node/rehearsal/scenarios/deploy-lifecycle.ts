// A stage's life on the double: fresh deploy and a user flow, unchanged redeploy, a new migration, destroy.
import { expect } from "vitest";
import { WORKER_PATHS } from "../../../../infra/assets/index.ts";
import { SESSION_DO_CLASS } from "../../../../infra/core/runtime.ts";
import type { Rehearsal } from "../rehearsal-context.ts";
import {
  appliedMigrations,
  executions,
  physicalNames,
  printedStageUrl,
  stageCalls,
  stageDatabase,
  stageLeftovers,
  stageWorker,
  tableExists,
} from "../stage-inspection.ts";
import { hasUserFlowRoutes, health, readMessages, runUserFlow, stageClient } from "../user-flow.ts";

export async function deployLifecycle(rehearsal: Rehearsal): Promise<void> {
  const { double, runId } = rehearsal;
  const stage = `rh-${runId}`;
  const project = await rehearsal.checkout();

  // 1. A fresh stage: every migration applied, SQLite Durable Objects introduced, the Worker serving.
  const deployed = await rehearsal.npm(project, "deploy", ["--stage", stage]);
  const client = stageClient(printedStageUrl(deployed.output, stage), double.gatewayUrl);
  expect(new URL(client.url).hostname).toBe(`${physicalNames(stage).worker}.rehearsal.workers.dev`);
  expect(await health(client)).toMatchObject({ ok: true, stage });
  const database = stageDatabase(double, stage);
  const worker = stageWorker(double, stage);
  if (!database || !worker) throw new Error(`Stage ${stage} has no database or Worker on the double.`);
  expect(await appliedMigrations(double, database)).toEqual(await project.migrationFiles());
  expect(worker.classes[SESSION_DO_CLASS]).toEqual({ sqlite: true });
  const boundClasses = worker.bindings.flatMap((b) => (b.type === "durable_object_namespace" ? [b.class_name] : []));
  for (const className of boundClasses) expect(worker.classes[className], className).toEqual({ sqlite: true });
  // The console and Swagger UI's files went up as static assets; the Worker keeps its own paths.
  expect(Object.keys(worker.assets?.manifest ?? {})).toEqual(
    expect.arrayContaining(["/console/app.js", "/console/app.css", "/docs/assets/swagger-ui-bundle.js"]),
  );
  expect(worker.assets?.config).toMatchObject({ run_worker_first: WORKER_PATHS, not_found_handling: "none" });
  // The API the stage documents, and a user's first minute with it: signup → session → message → read back.
  expect(await hasUserFlowRoutes(client)).toBe(true);
  const flow = await runUserFlow(client);
  expect(await readMessages(client, flow)).toEqual([flow.content]);

  // 2. Redeploy unchanged: nothing replaced, no migration re-applied, no class re-introduced, data kept.
  const callsBefore = double.calls.length;
  const migrationsBefore = executions(double, database, /INSERT INTO d1_migrations/);
  await rehearsal.npm(project, "deploy", ["--stage", stage]);
  const redeployCalls = stageCalls(double, stage, callsBefore, database.uuid).map((c) => `${c.method} ${c.route}`);
  expect(redeployCalls.filter((call) => call.startsWith("DELETE"))).toEqual([]);
  expect(stageDatabase(double, stage)?.uuid).toBe(database.uuid);
  expect(stageWorker(double, stage)?.createdOn).toBe(worker.createdOn);
  expect(stageWorker(double, stage)?.classes).toEqual(worker.classes);
  expect(executions(double, database, /INSERT INTO d1_migrations/)).toBe(migrationsBefore);
  expect(await health(client)).toMatchObject({ ok: true, stage });
  expect(await readMessages(client, flow)).toEqual([flow.content]);

  // 3. A new migration: applied by the next deploy, exactly once, to the same database.
  const files = await project.migrationFiles();
  const next = Math.max(...files.map((file) => Number.parseInt(file, 10))) + 1;
  const probe = `${String(next).padStart(4, "0")}_rehearsal_probe.sql`;
  await project.addMigration(probe, "CREATE TABLE rehearsal_probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL);\n");
  await rehearsal.npm(project, "deploy", ["--stage", stage]);
  expect(stageDatabase(double, stage)?.uuid).toBe(database.uuid);
  expect(await appliedMigrations(double, database)).toEqual([...files, probe]);
  expect(executions(double, database, /CREATE TABLE rehearsal_probe/)).toBe(1);
  expect(await tableExists(double, database, "rehearsal_probe")).toBe(true);
  expect(await readMessages(client, flow)).toEqual([flow.content]);

  // 4. Destroy: the account holds nothing of the stage and alchemy's state is empty.
  await rehearsal.npm(project, "destroy", ["--stage", stage]);
  expect(stageLeftovers(double, stage)).toEqual([]);
  expect(await project.stateFiles(stage)).toEqual([]);
  expect((await client.request("/health")).status).toBe(404);
}
