// Session limits: the SESSION_* part of the Worker configuration (src/config), in the shape SessionDO uses.
import { getConfig } from "./config.ts";
import type { Env } from "./env.ts";

export interface SessionLimits {
  contentBytes: number;
  metadataBytes: number;
  pageSize: number;
  titleLength: number;
  /** Tasks a session may hold; `listTasks` returns them all. */
  maxTasks: number;
  indexFlushMs: number;
}

/** Throws a ConfigError naming every invalid variable: better a loud failure at wake than unbounded rows. */
export function getSessionLimits(env: Env): SessionLimits {
  const config = getConfig(env);
  return {
    contentBytes: config.SESSION_MAX_CONTENT_BYTES,
    metadataBytes: config.SESSION_MAX_METADATA_BYTES,
    pageSize: config.SESSION_MAX_PAGE_SIZE,
    titleLength: config.SESSION_MAX_TITLE_LENGTH,
    maxTasks: config.SESSION_MAX_TASKS,
    indexFlushMs: config.SESSION_INDEX_FLUSH_MS,
  };
}
