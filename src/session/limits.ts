// Session limits: read once from the Worker variables declared in infra/worker-vars.ts, validated.
import { z } from "zod";
import { variablesReader } from "../config/variables.ts";

const bounded = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

// Upper bounds keep a message plus its metadata well under SQLite's 2 MB row limit.
const LimitsSchema = z.object({
  SESSION_MAX_CONTENT_BYTES: bounded(1, 1_048_576),
  SESSION_MAX_METADATA_BYTES: bounded(2, 262_144),
  SESSION_MAX_PAGE_SIZE: bounded(1, 1000),
  SESSION_MAX_TITLE_LENGTH: bounded(1, 1000),
  SESSION_MAX_TASKS: bounded(1, 10_000),
  SESSION_INDEX_FLUSH_MS: bounded(100, 600_000),
});

export interface SessionLimits {
  contentBytes: number;
  metadataBytes: number;
  pageSize: number;
  titleLength: number;
  /** Tasks a session may hold; `listTasks` returns them all. */
  maxTasks: number;
  indexFlushMs: number;
}

/** Throws a ConfigError on a misconfigured stage: better a loud failure at wake than unbounded rows. */
export const getSessionLimits: (env: object) => SessionLimits = variablesReader(
  LimitsSchema.transform(
    (vars): SessionLimits => ({
      contentBytes: vars.SESSION_MAX_CONTENT_BYTES,
      metadataBytes: vars.SESSION_MAX_METADATA_BYTES,
      pageSize: vars.SESSION_MAX_PAGE_SIZE,
      titleLength: vars.SESSION_MAX_TITLE_LENGTH,
      maxTasks: vars.SESSION_MAX_TASKS,
      indexFlushMs: vars.SESSION_INDEX_FLUSH_MS,
    }),
  ),
  "session limits",
);
