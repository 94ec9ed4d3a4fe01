// Worker configuration: read once per environment from the variables declared in infra, validated.
import type { Env } from "../env.ts";
import { type Config, parseConfig } from "./config-schema.ts";

export { type Config, ConfigError } from "./config-schema.ts";

const cache = new WeakMap<object, Config>();

/** Throws a ConfigError naming every invalid variable; the error handler logs it with the request id. */
export function getConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const config = parseConfig(env);
  cache.set(env, config);
  return config;
}
