// The API as deployed, in Miniflare: the bundle alchemy builds, the D1 database with the real
// migrations applied the way alchemy applies them locally, the SQLite SessionDO namespace, and the
// Worker variables of a local stage.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { WorkerOptions } from "miniflare";
import { LOGIN_LIMITER_DO_CLASS, MIGRATIONS_DIR, SESSION_DO_CLASS } from "../../infra/core/runtime.ts";
import { localWorkerBindings } from "../../infra/worker-config.ts";
import type { BuiltBundle } from "./bundle.ts";
import { type Runtime, type RuntimeOptions, startRuntime, workerDefaults } from "./runtime.ts";

export const APP = "app";
/** Binding names as infra/resources.ts declares them. */
export const D1_BINDING = "DB";
const DO_BINDING = "SESSIONS";

const localVars = () => localWorkerBindings("bench");

/** Long enough for a session's coalesced index flush to reach D1: two flush intervals and 5 s. */
export function indexFlushWaitMs(): number {
  const vars: Record<string, string> = localVars();
  return 2 * Number(vars.SESSION_INDEX_FLUSH_MS ?? 5_000) + 5_000;
}

/** `vars` override Worker variables of the local stage (e.g. a shorter index flush interval). */
export function appWorker(bundle: BuiltBundle, name = APP, vars: Record<string, string> = {}): WorkerOptions {
  return {
    ...workerDefaults(name),
    modules: true,
    modulesRoot: bundle.dir,
    scriptPath: bundle.entry,
    bindings: { ...localVars(), ...vars },
    d1Databases: { [D1_BINDING]: `${name}-db` },
    durableObjects: {
      [DO_BINDING]: { className: SESSION_DO_CLASS, useSQLite: true },
      LOGIN_LIMITER: { className: LOGIN_LIMITER_DO_CLASS, useSQLite: true },
    },
  };
}

/** Numeric prefix order, then name: the order alchemy's D1Database applies them in. */
async function migrationFiles(): Promise<string[]> {
  const prefix = (name: string) => Number.parseInt(name.split("_")[0] ?? "", 10);
  const files = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith(".sql"));
  return files.sort((a, b) => {
    const [x, y] = [prefix(a), prefix(b)];
    if (!Number.isNaN(x) && !Number.isNaN(y) && x !== y) return x - y;
    return a.localeCompare(b);
  });
}

/** Like alchemy's local migrations: one batch per file, split only at `--> statement-breakpoint`. */
export async function applyMigrations(runtime: Runtime, worker = APP): Promise<number> {
  const db = await runtime.mf.getD1Database(D1_BINDING, worker);
  const files = await migrationFiles();
  for (const file of files) {
    const sql = await readFile(join(MIGRATIONS_DIR, file), "utf8");
    const statements = sql
      .split("--> statement-breakpoint")
      .filter((part) => part.trim())
      .map((part) => db.prepare(part));
    await db.batch(statements);
  }
  return files.length;
}

/**
 * One bench account stands in for every fan-out client, so the per-user socket cap (a protection
 * between users, WS_MAX_SOCKETS_PER_USER) is lifted to just under the per-session limit; every
 * other limit stays as deployed.
 */
const BENCH_VARS = { WS_MAX_SOCKETS_PER_USER: "255" };

/** A fresh workerd with the API and its D1 database migrated. */
export async function startApp(bundle: BuiltBundle, options: RuntimeOptions = {}): Promise<Runtime> {
  const runtime = await startRuntime([appWorker(bundle, APP, BENCH_VARS)], options);
  try {
    await applyMigrations(runtime);
  } catch (error) {
    await runtime.dispose();
    throw error;
  }
  return runtime;
}
