// The typed client: REST through `hc<App>` from hono/client, real-time through SessionSocket.

export type { App } from "../app.ts";
export {
  type Member,
  type Message,
  type MessageRole,
  ROLES,
  type Role,
  type SessionInfo,
  type SessionMeta,
  type Task,
  type TaskStatus,
} from "../sessions/model.ts";
export * from "../sessions/protocol.ts";
export {
  SessionSocket,
  type SessionSocketEnd,
  SessionSocketError,
  type SessionSocketOptions,
} from "./session-socket.ts";
