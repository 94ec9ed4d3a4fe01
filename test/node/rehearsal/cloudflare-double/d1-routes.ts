// D1 endpoints: each database is a real SQLite database in the edge, so migrations really apply.
import type { Account } from "./account.ts";
import type { Edge } from "./edge.ts";
import { CloudflareError, page, success } from "./envelope.ts";
import type { Call, Router } from "./router.ts";
import { sdkShaped } from "./sdk-types.ts";
import { splitSqlStatements } from "./sql-split.ts";
import { TimeTravel } from "./time-travel.ts";

export interface ExecutedQuery {
  database: string;
  statements: string[];
}

const D1 = "/accounts/:account/d1/database";

export function d1Routes(router: Router, account: Account, edge: Edge, queries: ExecutedQuery[]): void {
  const timeTravel = new TimeTravel(edge);
  const find = (call: Call) => {
    const database = account.databases.get(call.params.uuid as string);
    if (!database) throw new CloudflareError(404, 7404, `The database ${call.params.uuid} could not be found.`);
    return database;
  };

  router.on("POST", D1, async (call) => {
    const { name } = (await call.request.json()) as { name?: string };
    if (!name || !/^[a-z0-9][a-z0-9-_]*$/i.test(name)) throw new CloudflareError(400, 7400, "Invalid database name.");
    if ([...account.databases.values()].some((db) => db.name === name)) {
      throw new CloudflareError(400, 7502, "A database with that name already exists.");
    }
    const database = { uuid: await edge.createDatabase(), name, createdAt: new Date().toISOString() };
    account.databases.set(database.uuid, database);
    return success(describe(database));
  });

  router.on("GET", D1, (call) => {
    const name = call.query.get("name");
    const all = [...account.databases.values()].filter((database) => !name || database.name === name);
    return page(
      all.map((database) => sdkShaped("GET d1/database", describe(database))),
      call.query,
    );
  });

  router.on("PATCH", `${D1}/:uuid`, async (call) => {
    const database = find(call);
    const body = (await call.request.json()) as { read_replication?: { mode?: string } };
    if (body.read_replication?.mode !== "disabled") {
      throw new CloudflareError(400, 7400, "The Cloudflare double only models read_replication mode 'disabled'.");
    }
    return success(describe(database));
  });

  router.on("POST", `${D1}/:uuid/query`, async (call) => {
    const database = find(call);
    const { sql, params } = (await call.request.json()) as { sql?: string; params?: unknown[] };
    const statements = splitSqlStatements(sql ?? "");
    if (statements.length === 0) throw new CloudflareError(400, 7400, "No SQL statements to execute.");
    if (params?.length && statements.length > 1) {
      throw new CloudflareError(400, 7400, "Parameters can only be bound to a single statement.");
    }
    queries.push({ database: database.uuid, statements });
    const results = await edge.query(database.uuid, statements, params);
    return success(results.map((result) => sdkShaped("POST d1/database/:uuid/query", result)));
  });

  // Time Travel: the current bookmark, and a restore to one. Point-in-time by timestamp is not modelled.
  router.on("GET", `${D1}/:uuid/time_travel/bookmark`, async (call) => {
    const database = find(call);
    if (call.query.has("timestamp")) {
      throw new CloudflareError(400, 7400, "The Cloudflare double only models the current bookmark, not timestamps.");
    }
    return success(
      sdkShaped("GET d1/database/:uuid/time_travel/bookmark", { bookmark: await timeTravel.bookmark(database.uuid) }),
    );
  });

  router.on("POST", `${D1}/:uuid/time_travel/restore`, async (call) => {
    const database = find(call);
    const bookmark = call.query.get("bookmark");
    if (!bookmark) throw new CloudflareError(400, 7400, "The Cloudflare double restores to a bookmark only.");
    return success(await timeTravel.restore(database.uuid, bookmark));
  });

  router.on("DELETE", `${D1}/:uuid`, async (call) => {
    const database = find(call);
    await edge.removeDatabase(database.uuid);
    account.databases.delete(database.uuid);
    return success(null);
  });
}

function describe(database: { uuid: string; name: string; createdAt: string }) {
  return {
    uuid: database.uuid,
    name: database.name,
    created_at: database.createdAt,
    version: "production",
    num_tables: 0,
    file_size: 0,
    read_replication: { mode: "disabled" },
  };
}
