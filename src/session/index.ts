// The session feature's public surface: the Durable Object, its result types and the Worker-side helpers.
export type { ChangeEvent, ChangeListener, ChangeType } from "./changes.ts";
export { type SessionStub, sessionStub, toApiError, unwrap } from "./client.ts";
export { EXPORT_FORMAT } from "./export-stream.ts";
export { getSessionLimits, type SessionLimits } from "./limits.ts";
export type { Failure, Result, SessionError, SessionErrorCode, Success } from "./result.ts";
export { SessionDO } from "./session-do.ts";
export * from "./types.ts";
