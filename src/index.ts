// The Worker entry: the Hono app, and the Durable Object classes the SESSIONS and LOGIN_LIMITER bindings name.
import { createApp } from "./app.ts";

export type { App } from "./app.ts";
export { LoginLimiterDO } from "./auth/login-limiter-do.ts";
export { SessionDO } from "./sessions/object/session-do.ts";

export default createApp();

declare global {
  namespace Cloudflare {
    // Types `exports` from "cloudflare:workers" (the Worker's own entrypoints, used by tests).
    interface GlobalProps {
      mainModule: typeof import("./index.ts");
      durableNamespaces: "SessionDO" | "LoginLimiterDO";
    }
  }
}
