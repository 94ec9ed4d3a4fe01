// The error codes the session routes share, named once so each route lists only what it adds.

/** A session that is not yours to see is not found (existence is not disclosed); a role too weak is forbidden. */
export const SESSION_ACCESS = ["not_found", "forbidden"] as const;

/**
 * What the session's Durable Object may answer on any call: the session deleted on the way
 * (`session_not_found`), or written by a newer release this one cannot read.
 */
export const SESSION_OBJECT = ["session_not_found", "session_schema_too_new"] as const;
