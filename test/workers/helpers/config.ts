// The configuration the Worker runs with in these tests, parsed by its own schema: derive sizes and limits from it.
import { env } from "cloudflare:workers";
import { getConfig } from "../../../src/config/config.ts";

/**
 * The `test` stage's values (infra/stage-config.ts over infra/worker-vars.ts, as vitest.config.ts binds them), typed.
 * A test that writes `config.SESSION_MAX_TITLE_LENGTH + 1` keeps passing when a fork changes the limit; one that
 * writes `201` does not (docs/testing.md).
 */
export const config = getConfig(env);
