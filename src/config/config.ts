// Worker configuration: read once per environment from the variables declared in infra, validated.

import { type Config, ConfigSchema } from "./config-schema.ts";
import type { Env } from "./env.ts";
import { variablesReader } from "./variables.ts";

export type { Config } from "./config-schema.ts";

/** Throws a ConfigError naming every invalid variable; the error handler logs it with the request id. */
export const getConfig: (env: Env) => Config = variablesReader(ConfigSchema, "Worker configuration");
