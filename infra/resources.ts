// The per-stage stack: one D1 database, two SQLite Durable Object namespaces (sessions, login limiter), one Worker bound to them, with its static assets.
import { Assets, D1Database, DurableObjectNamespace, Worker } from "alchemy/cloudflare";
import { buildStaticAssets, WORKER_PATHS } from "./assets/index.ts";
import { WORKER_BUNDLE } from "./core/bundle.ts";
import { physicalName, RESOURCE_ID } from "./core/names.ts";
import { isProtectedStage } from "./core/protected-stages.ts";
import {
  COMPATIBILITY_DATE,
  COMPATIBILITY_FLAGS,
  LOGIN_LIMITER_DO_CLASS,
  MIGRATIONS_DIR,
  SESSION_DO_CLASS,
  WORKER_ENTRYPOINT,
} from "./core/runtime.ts";
import { migrateStageDatabase } from "./d1-migrations/index.ts";
import { D1_KIND, type ProgramResource, WORKER_KIND } from "./data-safety/destructive-changes.ts";
import { STAGE_OWNER_BINDING } from "./stage-ownership.ts";
import { configBindings, configDomains } from "./worker-bindings.ts";
import type { StageWorkerConfig } from "./worker-config.ts";

/** The Durable Object namespaces the Worker binds, by binding name. Plain values: declaring them creates nothing. */
export function durableObjectBindings() {
  return {
    SESSIONS: DurableObjectNamespace(RESOURCE_ID.sessions, { className: SESSION_DO_CLASS, sqlite: true }),
    // A Durable Object rather than the Rate Limiting binding: alchemy 0.94's dev mode cannot run that
    // binding (docs/api.md, "How authentication behaves").
    LOGIN_LIMITER: DurableObjectNamespace(RESOURCE_ID.loginLimiter, {
      className: LOGIN_LIMITER_DO_CLASS,
      sqlite: true,
    }),
  };
}

export type DurableObjectBindings = ReturnType<typeof durableObjectBindings>;

/** The top-level resources provisionStack creates, with the physical names alchemy gives them. */
export function stackResources(stage: string): ProgramResource[] {
  return [
    { id: RESOURCE_ID.database, kind: D1_KIND, name: physicalName(RESOURCE_ID.database, stage) },
    { id: RESOURCE_ID.worker, kind: WORKER_KIND, name: physicalName(RESOURCE_ID.worker, stage) },
  ];
}

export interface StackInput {
  stage: string;
  local: boolean;
  /** The stage's variables, secrets and domains, validated before alchemy started (infra/worker-config.ts). */
  config: StageWorkerConfig;
  devPort: number;
  /** The namespaces to bind (durableObjectBindings()); passed in so the destructive-change guard saw the same ones. */
  durableObjects: DurableObjectBindings;
  /** alchemy's phase: only "up" changes anything; `--read` must not migrate. */
  phase: "up" | "destroy" | "read";
  /** The branch that owns a preview stage, recorded on its Worker; "" for other stages (infra/stage-ownership.ts). */
  owner: string;
}

/**
 * Resource ids (infra/core/names.ts) are part of every physical name (`{app}-{id}-{stage}`) and of the
 * Durable Object class migration history: renaming one replaces the resource, which the destructive-change
 * guard refuses on protected stages. `adopt` is deliberately never set, so a stage can only ever manage
 * resources it created itself.
 */
export async function provisionStack(input: StackInput) {
  // Deployed stages: the project applies migrations itself, after a restore point and a checksum
  // check alchemy does not make (infra/d1-migrations). Local dev keeps alchemy's offline path.
  // A protected stage's database outlives `npm run destroy` (docs/data-safety.md): removing it is a human's act.
  const database = await D1Database(RESOURCE_ID.database, {
    ...(input.local ? { migrationsDir: MIGRATIONS_DIR } : {}),
    delete: !isProtectedStage(input.stage),
  });
  if (!input.local && input.phase === "up") await migrateStageDatabase(input.stage, database);

  // The console and the Swagger UI files: built here, so dev and every deploy ship the current source.
  const assets = await Assets({ path: (await buildStaticAssets()).dir });

  return Worker(RESOURCE_ID.worker, {
    entrypoint: WORKER_ENTRYPOINT,
    bundle: WORKER_BUNDLE,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    observability: { enabled: true },
    url: true,
    bindings: {
      DB: database,
      ASSETS: assets,
      ...input.durableObjects,
      ...configBindings(input.config),
      [STAGE_OWNER_BINDING]: input.owner,
    },
    // Assets answer only paths that are files; the HTML pages and the API are the Worker's.
    assets: { run_worker_first: WORKER_PATHS, not_found_handling: "none" },
    ...configDomains(input.config),
    dev: { port: input.devPort },
  });
}
