// The per-stage stack: one D1 database, two SQLite Durable Object namespaces (sessions, login limiter), one Worker bound to them.
import { D1Database, DurableObjectNamespace, Worker } from "alchemy/cloudflare";
import { WORKER_BUNDLE } from "./bundle.ts";
import { migrateStageDatabase } from "./d1-migrations/index.ts";
import { RESOURCE_ID } from "./names.ts";
import {
  COMPATIBILITY_DATE,
  COMPATIBILITY_FLAGS,
  LOGIN_LIMITER_DO_CLASS,
  MIGRATIONS_DIR,
  SESSION_DO_CLASS,
  WORKER_ENTRYPOINT,
} from "./runtime.ts";
import { type WorkerVarsInput, workerVars } from "./worker-vars.ts";

export interface StackInput extends WorkerVarsInput {
  devPort: number;
  /** alchemy's phase: only "up" changes anything; `--read` must not migrate. */
  phase: "up" | "destroy" | "read";
}

/**
 * Resource ids (infra/names.ts) are part of every physical name (`{app}-{id}-{stage}`) and of the
 * Durable Object class migration history: never rename them once deployed. `adopt` is deliberately
 * never set, so a stage can only ever manage resources it created itself.
 */
export async function provisionStack(input: StackInput) {
  // Deployed stages: the project applies migrations itself, after a restore point and a checksum
  // check alchemy does not make (infra/d1-migrations). Local dev keeps alchemy's offline path.
  const database = await D1Database(RESOURCE_ID.database, input.local ? { migrationsDir: MIGRATIONS_DIR } : {});
  if (!input.local && input.phase === "up") await migrateStageDatabase(input.stage, database);

  const sessions = DurableObjectNamespace(RESOURCE_ID.sessions, {
    className: SESSION_DO_CLASS,
    sqlite: true,
  });

  // A Durable Object rather than the Rate Limiting binding: alchemy 0.94's dev mode cannot run that
  // binding (README, "Authentication").
  const loginLimiter = DurableObjectNamespace(RESOURCE_ID.loginLimiter, {
    className: LOGIN_LIMITER_DO_CLASS,
    sqlite: true,
  });

  return Worker(RESOURCE_ID.worker, {
    entrypoint: WORKER_ENTRYPOINT,
    bundle: WORKER_BUNDLE,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    observability: { enabled: true },
    url: true,
    bindings: {
      DB: database,
      SESSIONS: sessions,
      LOGIN_LIMITER: loginLimiter,
      ...workerVars(input),
    },
    dev: { port: input.devPort },
  });
}
