// Two projects: `workers` runs inside workerd with the same bindings the alchemy program declares;
// `node` runs the infra unit tests, the workflow checks and the end-to-end tests of the real stack.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import {
  COMPATIBILITY_DATE,
  COMPATIBILITY_FLAGS,
  LOGIN_LIMITER_DO_CLASS,
  MIGRATIONS_DIR,
  SESSION_DO_CLASS,
  WORKER_ENTRYPOINT,
} from "./infra/core/runtime.ts";
import { localWorkerBindings } from "./infra/worker-config.ts";

export default defineConfig({
  test: {
    // The Worker logs one JSON line per notable event; show them only for failing tests.
    silent: "passed-only",
    // One test file per core (vitest's default leaves one core idle): the Node tests mostly wait on the processes
    // they start, and every file still gets its own runtime and storage. Measured in docs/testing.md ("Speed").
    maxWorkers: "100%",
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            main: WORKER_ENTRYPOINT,
            miniflare: {
              compatibilityDate: COMPATIBILITY_DATE,
              compatibilityFlags: COMPATIBILITY_FLAGS,
              d1Databases: ["DB"],
              durableObjects: {
                SESSIONS: { className: SESSION_DO_CLASS, useSQLite: true },
                LOGIN_LIMITER: { className: LOGIN_LIMITER_DO_CLASS, useSQLite: true },
              },
              bindings: {
                // Validated like dev and deploy (infra/worker-config.ts), with a fresh PASSWORD_PEPPER per run.
                ...localWorkerBindings("test"),
                // The one deliberate difference: a socket limit a test can reach without opening 256.
                WS_MAX_SOCKETS_PER_SESSION: "4",
                WS_MAX_SOCKETS_PER_USER: "2",
                TEST_MIGRATIONS: await readD1Migrations(MIGRATIONS_DIR),
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          setupFiles: ["test/workers/apply-migrations.ts"],
          // Hang guards: vitest's 5 s default failed a correct test on a loaded machine (docs/testing.md).
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The Worker's modules load in Node too (the OpenAPI lint builds the document there).
        resolve: {
          alias: {
            "cloudflare:workers": new URL("./test/node/helpers/cloudflare-workers-stub.ts", import.meta.url).pathname,
          },
        },
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          environment: "node",
          // Hang guards, not performance bounds: these tests start real processes (alchemy dev, workerd, Chromium,
          // the deploy rehearsal), which a busy machine slows several-fold (docs/testing.md).
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
