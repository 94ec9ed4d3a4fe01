// The destructive-change guard on prod: retiring the login limiter and renaming the database's id are refused, naming
// each item, with nothing changed; an acknowledgement in the repository lets the retirement through. A preview goes
// ahead and says what it deleted.
import { expect } from "vitest";
import { LOGIN_LIMITER_DO_CLASS, SESSION_DO_CLASS } from "../../../../infra/core/runtime.ts";
import { withOwnAccount } from "../own-account.ts";
import type { Rehearsal } from "../rehearsal-context.ts";
import { physicalNames, printedStageUrl, stageWorker } from "../stage-inspection.ts";
import { health, readMessages, runUserFlow, stageClient } from "../user-flow.ts";

const PROD = "prod";
/** The login limiter's entry in durableObjectBindings(), its comment included: what retiring it removes. */
const LIMITER_BINDING =
  /\n\s*\/\/ A Durable Object rather than[\s\S]*?LOGIN_LIMITER: DurableObjectNamespace\([\s\S]*?\}\),\n/;
const ACK = `{ stage: "prod", kind: "durable-object-class", name: "${LOGIN_LIMITER_DO_CLASS}", reason: "Login attempts are limited by the identity provider now." }`;

export async function destructiveChangeGuard(rehearsal: Rehearsal): Promise<void> {
  const project = await rehearsal.checkout();
  const preview = `rh-${rehearsal.runId}-preview`;
  await withOwnAccount({}, async ({ double, npm }) => {
    const deployed = await npm(project, "deploy", ["--stage", PROD]);
    await npm(project, "deploy", ["--stage", preview]);
    const client = stageClient(printedStageUrl(deployed.output, PROD), double.gatewayUrl);
    const flow = await runUserFlow(client);
    const worker = stageWorker(double, PROD);
    expect(Object.keys(worker?.classes ?? {}).sort()).toEqual([LOGIN_LIMITER_DO_CLASS, SESSION_DO_CLASS]);
    const uploads = () =>
      double.calls.filter((call) => call.method === "PUT" && call.route?.endsWith("/scripts/:name"));

    // 1. Retire the login limiter: its class would enter deleted_classes, which Cloudflare accepts once unbound.
    await project.edit("infra/resources.ts", (text) => text.replace(LIMITER_BINDING, "\n"));
    const before = { uploads: uploads().length, databases: double.account.databases.size };
    const refused = await npm(project, "deploy", ["--stage", PROD], "nonzero");
    expect(refused.output).toContain('Refusing to deploy the protected stage "prod"');
    expect(refused.output).toContain(`Durable Object class ${LOGIN_LIMITER_DO_CLASS}`);
    expect(refused.output).toContain(`name: "${LOGIN_LIMITER_DO_CLASS}"`);
    expect(uploads().length).toBe(before.uploads);
    expect(stageWorker(double, PROD)?.classes).toEqual(worker?.classes);

    // A preview is disposable: it goes ahead, and says what it deleted.
    const previewRun = await npm(project, "deploy", ["--stage", preview]);
    expect(previewRun.output).toMatch(/this deploy deleted or replaced:\s+- Durable Object class LoginLimiterDO/);
    expect(Object.keys(stageWorker(double, preview)?.classes ?? {})).toEqual([SESSION_DO_CLASS]);

    // 2. Acknowledged in the reviewed file: prod goes ahead, the class is gone, the sessions' data is not.
    await project.edit("infra/acknowledged-destruction.ts", (text) => text.replace("= [];", `= [\n  ${ACK},\n];`));
    const acknowledged = await npm(project, "deploy", ["--stage", PROD]);
    expect(acknowledged.output).toMatch(
      /Stage prod: this deploy deleted or replaced:\s+- Durable Object class LoginLimiterDO/,
    );
    expect(Object.keys(stageWorker(double, PROD)?.classes ?? {})).toEqual([SESSION_DO_CLASS]);
    expect(await readMessages(client, flow)).toEqual([flow.content]);

    // 3. Rename the database's resource id: a new, empty database, the old one an orphan. Refused before either.
    await project.edit("infra/core/names.ts", (text) => text.replace('database: "db"', 'database: "db-renamed"'));
    const renamed = await npm(project, "deploy", ["--stage", PROD], "nonzero");
    expect(renamed.output).toContain(`D1 database ${physicalNames(PROD).database} is deleted as an orphan`);
    expect(double.account.databases.size).toBe(before.databases);
    expect(await health(client)).toMatchObject({ ok: true, stage: PROD });
    expect(await readMessages(client, flow)).toEqual([flow.content]);
  });
}
