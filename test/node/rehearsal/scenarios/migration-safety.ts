// D1 migrations on a protected stage: a restore point before them, a file that fails part-way reported truthfully and
// undone with the printed bookmark, and an applied file that was edited refused (a preview rebuilds instead).
import { expect } from "vitest";
import type { Rehearsal } from "../rehearsal-context.ts";
import { REHEARSAL_API_TOKEN } from "../rehearsal-env.ts";
import { protectStage } from "../release-fixture.ts";
import { appliedMigrations, printedStageUrl, stageDatabase, stageWorker, tableExists } from "../stage-inspection.ts";
import { health, readMessages, runUserFlow, stageClient } from "../user-flow.ts";

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** The bookmarks a deploy printed with their restore command, in order. */
function printedBookmarks(output: string, databaseName: string): string[] {
  const pattern = new RegExp(`npx wrangler d1 time-travel restore ${databaseName} --bookmark=(\\S+)`, "g");
  return [...output.replace(ANSI, "").matchAll(pattern)].map((match) => match[1] as string);
}

const nextNumber = (files: string[], n = 1) =>
  String(Math.max(...files.map((file) => Number.parseInt(file, 10))) + n).padStart(4, "0");

export async function restorePointAndFailedMigration(rehearsal: Rehearsal): Promise<void> {
  const { double, runId } = rehearsal;
  const stage = `rh-${runId}-restore`;
  const project = await rehearsal.checkout();
  await protectStage(project, stage);

  // First deploy: the bookmark is read before the first query touches the new database, and printed.
  const callsBefore = double.calls.length;
  const deployed = await rehearsal.npm(project, "deploy", ["--stage", stage]);
  const database = stageDatabase(double, stage);
  if (!database) throw new Error(`Stage ${stage} has no database on the double.`);
  const databaseCalls = double.calls.slice(callsBefore).filter((call) => call.path.includes(database.uuid));
  const bookmarkAt = databaseCalls.findIndex((call) => call.route?.endsWith("/time_travel/bookmark"));
  const firstQueryAt = databaseCalls.findIndex((call) => call.route?.endsWith("/query"));
  expect(bookmarkAt, JSON.stringify(databaseCalls)).toBeGreaterThanOrEqual(0);
  expect(bookmarkAt).toBeLessThan(firstQueryAt);
  expect(printedBookmarks(deployed.output, database.name)).toHaveLength(1);
  const client = stageClient(printedStageUrl(deployed.output, stage), double.gatewayUrl);
  const flow = await runUserFlow(client);
  const files = await project.migrationFiles();

  // A release with two migrations; the second fails on its third statement, after a CREATE and an UPDATE.
  const good = `${nextNumber(files)}_rehearsal_notes.sql`;
  const half = `${nextNumber(files, 2)}_rehearsal_half.sql`;
  await project.addMigration(good, "CREATE TABLE rehearsal_notes (id INTEGER PRIMARY KEY, note TEXT NOT NULL);\n");
  await project.addMigration(
    half,
    "CREATE TABLE rehearsal_half (id INTEGER PRIMARY KEY);\nUPDATE users SET name = 'overwritten';\nINSERT INTO no_such_table VALUES (1);\n",
  );
  const workerBefore = stageWorker(double, stage)?.etag;
  const failed = await rehearsal.npm(project, "deploy", ["--stage", stage], "nonzero");
  const output = failed.output.replace(ANSI, "");
  expect(output).toContain(`D1 migration ${half} failed on stage ${stage}`);
  expect(output).toContain("no_such_table");
  expect(output).toContain(`None of ${half} was applied`);
  expect(output).toContain(`before it, and recorded in the ledger: ${good}`);
  // What the database holds matches the ledger; the half file left nothing; the old Worker still serves.
  expect(await appliedMigrations(double, database)).toEqual([...files, good]);
  expect(await tableExists(double, database, "rehearsal_notes")).toBe(true);
  expect(await tableExists(double, database, "rehearsal_half")).toBe(false);
  expect(stageWorker(double, stage)?.etag).toBe(workerBefore);
  expect(await health(client)).toMatchObject({ ok: true, stage });
  const me = await client.request("/v1/me", { token: flow.token });
  expect(((await me.json()) as { user: { name: string } }).user.name).toBe("Rehearsal");

  // The way back, as the deploy printed it: restoring its bookmark undoes the good file too, and keeps the user's data.
  const [bookmark] = printedBookmarks(failed.output, database.name);
  const restore = await fetch(
    `${double.baseUrl}/accounts/${double.account.id}/d1/database/${database.uuid}/time_travel/restore?bookmark=${bookmark}`,
    { method: "POST", headers: { authorization: `Bearer ${REHEARSAL_API_TOKEN}` } },
  );
  expect(restore.status).toBe(200);
  expect(await appliedMigrations(double, database)).toEqual(files);
  expect(await tableExists(double, database, "rehearsal_notes")).toBe(false);
  expect(await readMessages(client, flow)).toEqual([flow.content]);
}

export async function editedMigrationRefused(rehearsal: Rehearsal): Promise<void> {
  const { double, runId } = rehearsal;
  const stage = `rh-${runId}-edited`;
  const preview = `rh-${runId}-edited-pv`;
  const project = await rehearsal.checkout();
  await protectStage(project, stage);
  const deployed = await rehearsal.npm(project, "deploy", ["--stage", stage]);
  const previewDeployed = await rehearsal.npm(project, "deploy", ["--stage", preview]);
  const client = stageClient(printedStageUrl(deployed.output, stage), double.gatewayUrl);
  const previewClient = stageClient(printedStageUrl(previewDeployed.output, preview), double.gatewayUrl);
  const flow = await runUserFlow(client);
  const previewFlow = await runUserFlow(previewClient);
  const files = await project.migrationFiles();
  const edited = files.find((file) => file.startsWith("0002_")) as string;

  // Edited during review after the stage applied it: the protected stage refuses, naming the file, and changes nothing.
  await project.edit(`src/db/migrations/${edited}`, (text) =>
    text.replace("deleted_at INTEGER", "deleted_at INTEGER,\n  pinned INTEGER NOT NULL DEFAULT 0"),
  );
  const workerBefore = stageWorker(double, stage)?.etag;
  const refused = await rehearsal.npm(project, "deploy", ["--stage", stage], "nonzero");
  expect(refused.output).toContain(`Refusing to deploy stage ${stage}`);
  expect(refused.output).toContain(`${edited} was edited after it was applied`);
  expect(stageWorker(double, stage)?.etag).toBe(workerBefore);
  expect(await readMessages(client, flow)).toEqual([flow.content]);

  // A preview is disposable: it rebuilds its database from the files as they are now, and says so.
  const rebuilt = await rehearsal.npm(project, "deploy", ["--stage", preview]);
  expect(rebuilt.output).toContain(`${edited} was edited after it was applied`);
  expect(rebuilt.output).toContain("Rebuilt its D1 database from scratch");
  const previewDatabase = stageDatabase(double, preview);
  if (!previewDatabase) throw new Error(`Stage ${preview} has no database on the double.`);
  expect(await appliedMigrations(double, previewDatabase)).toEqual(files);
  const [columns] = await double.edge.query(previewDatabase.uuid, ["SELECT name FROM pragma_table_info('sessions')"]);
  expect(((columns?.results ?? []) as { name: string }[]).map((c) => c.name)).toContain("pinned");
  // The rows went with it (previews are disposable), and the rebuilt preview serves new users.
  const [users] = await double.edge.query(previewDatabase.uuid, ["SELECT count(*) AS n FROM users"]);
  expect(users?.results).toEqual([{ n: 0 }]);
  const again = await runUserFlow(previewClient);
  expect(again.sessionId).not.toBe(previewFlow.sessionId);
}
