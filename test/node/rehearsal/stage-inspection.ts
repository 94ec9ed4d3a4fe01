// What the double holds for one stage: its Worker and D1 database by physical name, and what ran in that database.
import { stageResourceNames as physicalNames } from "../../../infra/core/names.ts";
import type { CloudflareDouble, D1Record, RecordedCall, ScriptRecord } from "./cloudflare-double/index.ts";

export { physicalNames };

export function stageWorker(double: CloudflareDouble, stage: string): ScriptRecord | undefined {
  return double.account.scripts.get(physicalNames(stage).worker);
}

export function stageDatabase(double: CloudflareDouble, stage: string): D1Record | undefined {
  const name = physicalNames(stage).database;
  return [...double.account.databases.values()].find((database) => database.name === name);
}

/** Everything of the stage the double still has: empty once the stage is destroyed. */
export function stageLeftovers(double: CloudflareDouble, stage: string): string[] {
  const names = physicalNames(stage);
  return [
    ...[...double.account.scripts.keys()].filter((name) => name === names.worker).map((n) => `Worker ${n}`),
    ...[...double.account.databases.values()].filter((d) => d.name === names.database).map((d) => `D1 ${d.name}`),
  ];
}

export async function appliedMigrations(double: CloudflareDouble, database: D1Record): Promise<string[]> {
  const [result] = await double.edge.query(database.uuid, ["SELECT name FROM d1_migrations ORDER BY id"]);
  return ((result?.results ?? []) as { name: string }[]).map((row) => row.name);
}

export async function tableExists(double: CloudflareDouble, database: D1Record, table: string): Promise<boolean> {
  const [result] = await double.edge.query(
    database.uuid,
    ["SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?"],
    [table],
  );
  return (result?.results.length ?? 0) === 1;
}

/** The API calls since `from` that touched the stage's Worker or database (by name or id in the path). */
export function stageCalls(double: CloudflareDouble, stage: string, from: number, databaseId: string): RecordedCall[] {
  const { worker } = physicalNames(stage);
  const segment = (name: string) => (call: RecordedCall) => call.path.split("/").includes(name);
  return double.calls.slice(from).filter((call) => segment(worker)(call) || segment(databaseId)(call));
}

/** How many times the API's query endpoint ran a statement matching `pattern` in this database. */
export function executions(double: CloudflareDouble, database: D1Record, pattern: RegExp): number {
  return double.queries
    .filter((query) => query.database === database.uuid)
    .flatMap((query) => query.statements)
    .filter((statement) => pattern.test(statement)).length;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** The URL `alchemy.run.ts` prints for the stage (`Stage NAME: URL`). */
export function printedStageUrl(output: string, stage: string): string {
  const match = new RegExp(`Stage ${stage}: (https://\\S+)`).exec(output.replace(ANSI, ""));
  if (!match?.[1]) throw new Error(`The deploy did not print the URL of stage ${stage}:\n${output}`);
  return match[1];
}
