// The session feature's public surface: the Durable Object, its result types and the Worker-side helpers.
export type { ChangeEvent, ChangeListener, ChangeType } from "./changes.ts";
export { type SessionStub, sessionStub, toApiError, unwrap } from "./client.ts";
export { EXPORT_FORMAT } from "./export-stream.ts";
export { getSessionLimits, type SessionLimits } from "./limits.ts";
export type { Failure, Result, SessionError, SessionErrorCode, Success } from "./result.ts";
export { SessionDO } from "./session-do.ts";
export {
  type AppendedMessage,
  type AppendMessageInput,
  type CreateTaskInput,
  type IndexStats,
  type InitializedSession,
  type InitSessionInput,
  type JsonObject,
  MESSAGE_ROLES,
  type Message,
  type MessagePage,
  type MessageQuery,
  type MessageRole,
  OPEN_TASK_STATUSES,
  type SessionInfo,
  type SessionMeta,
  type SessionMetaPatch,
  TASK_STATUSES,
  type Task,
  type TaskPatch,
  type TaskStatus,
} from "./types.ts";
