// The session feature's public surface for the Worker: a typed stub per session id, results turned
// into ApiError, and the shapes the routes present. The Durable Object class is exported by src/index.ts.
export { type SessionStub, sessionStub, unwrap } from "./client.ts";
export { EXPORT_FORMAT } from "./export-stream.ts";
export type { SessionInfo } from "./types.ts";
