// The typed client: REST through `hc<App>` from hono/client, real-time through SessionSocket.

export type { App } from "../app.ts";
export * from "../realtime/protocol.ts";
export {
  SessionSocket,
  type SessionSocketEnd,
  SessionSocketError,
  type SessionSocketOptions,
} from "./session-socket.ts";
