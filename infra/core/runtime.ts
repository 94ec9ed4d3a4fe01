// Runtime settings shared by the deploy, local dev and the test harness: defined once here.
export const APP_NAME = "stateful-api";

/** The ceiling is the oldest workerd we run (alchemy's pinned miniflare refuses later dates). */
export const COMPATIBILITY_DATE = "2026-07-08";
export const COMPATIBILITY_FLAGS: string[] = ["nodejs_compat"];

/** D1 migrations: one folder used by deploy, `npm run dev` and the tests. */
export const MIGRATIONS_DIR = "src/db/migrations";

export const WORKER_ENTRYPOINT = "src/index.ts";
export const SESSION_DO_CLASS = "SessionDO";
/** Counts login attempts per email and per client IP (docs/api.md, "How authentication behaves"). */
export const LOGIN_LIMITER_DO_CLASS = "LoginLimiterDO";

/** `npm run dev` serves here; DEV_PORT overrides it (the smoke test uses a free port). */
export const DEFAULT_DEV_PORT = 1337;
