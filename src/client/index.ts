// The typed client: REST through `hc<App>` from hono/client, real-time through SessionSocket.

export type { App } from "../app.ts";
export * from "../realtime/protocol.ts";
export { SessionSocket, SessionSocketError, type SessionSocketOptions } from "./session-socket.ts";
