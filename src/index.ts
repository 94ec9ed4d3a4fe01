// The Worker entry: the Hono app, and the Durable Object class the SESSIONS binding names.
import { createApp } from "./app.ts";

export type { App } from "./app.ts";
export { SessionDO } from "./session/session-do.ts";

export default createApp();
