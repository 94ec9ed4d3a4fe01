// Worker configuration: read once per environment from the variables declared in infra, validated.
import { z } from "zod";
import type { Env } from "../env.ts";

const ConfigSchema = z.object({
  STAGE: z.string().min(1),
  VERSION: z.string().min(1),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

const cache = new WeakMap<object, Config>();

export function getConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid Worker configuration: ${problems.join("; ")}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
