// Session limits: read once from the Worker variables declared in infra/worker-vars.ts, validated.
import { z } from "zod";

const bounded = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

// Upper bounds keep a message plus its metadata well under SQLite's 2 MB row limit.
const LimitsSchema = z.object({
  SESSION_MAX_CONTENT_BYTES: bounded(1, 1_048_576),
  SESSION_MAX_METADATA_BYTES: bounded(2, 262_144),
  SESSION_MAX_PAGE_SIZE: bounded(1, 1000),
  SESSION_MAX_TITLE_LENGTH: bounded(1, 1000),
  SESSION_INDEX_FLUSH_MS: bounded(100, 600_000),
});

export interface SessionLimits {
  contentBytes: number;
  metadataBytes: number;
  pageSize: number;
  titleLength: number;
  indexFlushMs: number;
}

type LimitVars = { readonly [K in keyof typeof LimitsSchema.shape]?: unknown };

const cache = new WeakMap<object, SessionLimits>();

/** Throws on a misconfigured stage: better a loud failure at wake than silently unbounded rows. */
export function getSessionLimits(env: LimitVars): SessionLimits {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = LimitsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid session limits: ${problems.join("; ")}`);
  }
  const vars = parsed.data;
  const limits: SessionLimits = {
    contentBytes: vars.SESSION_MAX_CONTENT_BYTES,
    metadataBytes: vars.SESSION_MAX_METADATA_BYTES,
    pageSize: vars.SESSION_MAX_PAGE_SIZE,
    titleLength: vars.SESSION_MAX_TITLE_LENGTH,
    indexFlushMs: vars.SESSION_INDEX_FLUSH_MS,
  };
  cache.set(env, limits);
  return limits;
}
