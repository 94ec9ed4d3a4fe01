// Reading a group of Worker variables: validated through its schema, once per environment object.
import type { z } from "zod";

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The parsed variables, or a ConfigError naming every invalid one. */
export function parseVariables<T>(schema: z.ZodType<T>, vars: unknown, what: string): T {
  const parsed = schema.safeParse(vars);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`Invalid ${what}: ${problems.join("; ")}`);
}

/**
 * A reader that parses on first use and then answers from a cache keyed by the env object, so the
 * hot path pays a WeakMap lookup; a misconfigured stage fails loudly on its first request.
 */
export function variablesReader<T>(schema: z.ZodType<T>, what: string): (env: object) => T {
  const cache = new WeakMap<object, T>();
  return (env) => {
    let value = cache.get(env);
    if (value === undefined) {
      value = parseVariables(schema, env, what);
      cache.set(env, value);
    }
    return value;
  };
}
