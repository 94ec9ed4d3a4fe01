// The deploy path, rehearsed: the real `npm run deploy` / `destroy` against a local double of the Cloudflare API.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_DO_CLASS } from "../../../infra/runtime.ts";
import { type CloudflareDouble, startCloudflareDouble } from "./cloudflare-double/index.ts";
import { copyProject, type ProjectCopy } from "./project-copy.ts";
import { REHEARSAL_ACCOUNT_ID, REHEARSAL_API_TOKEN, rehearsalEnv } from "./rehearsal-env.ts";
import { describeRun, type NpmRun, runNpm } from "./run-npm.ts";
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
} from "./stage-inspection.ts";
import { hasUserFlowRoutes, health, readMessages, runUserFlow, stageClient } from "./user-flow.ts";

const runId = randomBytes(3).toString("hex");
/** Each scenario takes seconds on an idle machine; the margin is for a CI runner shared with other jobs. */
const REHEARSAL_TIMEOUT_MS = 150_000;

// The two stages are independent, so their alchemy runs overlap: the double serialises what must be.
describe.concurrent("deploy rehearsal against the Cloudflare API double", () => {
  let double: CloudflareDouble;
  const projects: ProjectCopy[] = [];

  beforeAll(async () => {
    double = await startCloudflareDouble({ accountId: REHEARSAL_ACCOUNT_ID, apiToken: REHEARSAL_API_TOKEN });
  });

  afterAll(async () => {
    await double?.stop();
    await Promise.all(projects.map((project) => project.remove()));
  });

  /** Each scenario deploys from its own copy of the project, so its edits never reach the other. */
  async function checkout(): Promise<ProjectCopy> {
    const project = await copyProject();
    projects.push(project);
    return project;
  }

  /** Runs an npm script of the project copy; any call the double does not know fails the rehearsal right here. */
  async function npm(
    project: ProjectCopy,
    script: string,
    args: string[],
    expectedCode: number | "nonzero" | "any" = 0,
  ): Promise<NpmRun> {
    const run = await runNpm(project.dir, script, args, rehearsalEnv(double, project.dir));
    expect(double.unknownCalls(), `alchemy made calls the double does not know:\n${describeRun(run)}`).toEqual([]);
    if (expectedCode === "nonzero") expect(run.code, describeRun(run)).not.toBe(0);
    else if (expectedCode !== "any") expect(run.code, describeRun(run)).toBe(expectedCode);
    return run;
  }

  it(
    "deploys a fresh stage, redeploys it unchanged, applies a new migration once and destroys it",
    async () => {
      const stage = `rh-${runId}`;
      const project = await checkout();

      // 1. A fresh stage: every migration applied, SQLite Durable Objects introduced, the Worker serving.
      const deployed = await npm(project, "deploy", ["--stage", stage]);
      const client = stageClient(printedStageUrl(deployed.output, stage), double.gatewayUrl);
      expect(new URL(client.url).hostname).toBe(`${physicalNames(stage).worker}.rehearsal.workers.dev`);
      expect(await health(client)).toMatchObject({ ok: true, stage });
      const database = stageDatabase(double, stage);
      const worker = stageWorker(double, stage);
      if (!database || !worker) throw new Error(`Stage ${stage} has no database or Worker on the double.`);
      expect(await appliedMigrations(double, database)).toEqual(await project.migrationFiles());
      expect(worker.classes[SESSION_DO_CLASS]).toEqual({ sqlite: true });
      const boundClasses = worker.bindings.flatMap((b) =>
        b.type === "durable_object_namespace" ? [b.class_name] : [],
      );
      for (const className of boundClasses) expect(worker.classes[className], className).toEqual({ sqlite: true });
      // The API the stage documents, and a user's first minute with it: signup → session → message → read back.
      expect(await hasUserFlowRoutes(client)).toBe(true);
      const flow = await runUserFlow(client);
      expect(await readMessages(client, flow)).toEqual([flow.content]);

      // 2. Redeploy unchanged: nothing replaced, no migration re-applied, no class re-introduced, data kept.
      const callsBefore = double.calls.length;
      const migrationsBefore = executions(double, database, /INSERT INTO d1_migrations/);
      await npm(project, "deploy", ["--stage", stage]);
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
      await npm(project, "deploy", ["--stage", stage]);
      expect(stageDatabase(double, stage)?.uuid).toBe(database.uuid);
      expect(await appliedMigrations(double, database)).toEqual([...files, probe]);
      expect(executions(double, database, /CREATE TABLE rehearsal_probe/)).toBe(1);
      expect(await tableExists(double, database, "rehearsal_probe")).toBe(true);
      expect(await readMessages(client, flow)).toEqual([flow.content]);

      // 4. Destroy: the account holds nothing of the stage and alchemy's state is empty.
      await npm(project, "destroy", ["--stage", stage]);
      expect(stageLeftovers(double, stage)).toEqual([]);
      expect(await project.stateFiles(stage)).toEqual([]);
      expect((await client.request("/health")).status).toBe(404);
    },
    REHEARSAL_TIMEOUT_MS,
  );

  it(
    "refuses a deploy that would drop a Durable Object class, and names what a failed delete left behind",
    async () => {
      const stage = `rh-${runId}-fail`;
      const project = await checkout();
      const { database } = physicalNames(stage);
      const deployed = await npm(project, "deploy", ["--stage", stage]);
      const client = stageClient(printedStageUrl(deployed.output, stage), double.gatewayUrl);

      // Renaming a namespace's resource id makes alchemy delete and re-create its class: Cloudflare refuses that
      // while the class is bound (it would destroy every object); the stage keeps serving the last good version.
      await project.edit("infra/names.ts", (text) =>
        text.replace('sessions: "sessions"', 'sessions: "sessions-renamed"'),
      );
      const refused = await npm(project, "deploy", ["--stage", stage], "nonzero");
      expect(refused.output).toContain("Cannot apply --delete-class migration to class 'SessionDO'");
      await project.edit("infra/names.ts", (text) =>
        text.replace('sessions: "sessions-renamed"', 'sessions: "sessions"'),
      );
      expect(await health(client)).toMatchObject({ ok: true, stage });

      const heal = double.injectFault({ method: "DELETE", path: /\/d1\/database\/[^/]+$/ });
      try {
        // alchemy may or may not exit non-zero here; the verification step is what must not be fooled.
        await npm(project, "destroy", ["--stage", stage], "any");
        expect(stageLeftovers(double, stage)).toEqual([`D1 ${database}`]);
        const verify = await npm(project, "verify:destroyed", ["--stage", stage], "nonzero");
        expect(verify.output).toContain(database);
      } finally {
        heal();
      }

      // What the verification tells an operator to do: run the destroy again.
      await npm(project, "destroy", ["--stage", stage]);
      expect(stageLeftovers(double, stage)).toEqual([]);
    },
    REHEARSAL_TIMEOUT_MS,
  );
});
