// Revoked credentials reach live sockets too: every revocation route hands its ids here after D1 has them.
import type { Context } from "hono";
import type { AppEnv } from "../http/app-env.ts";
import { log } from "../shared/log.ts";

/**
 * Closes the sockets opened with these credentials in the background: the answer does not wait for
 * the fan-out, and each session's periodic D1 re-check closes them anyway if a call fails
 * (docs/security.md, "Access guarantees").
 */
export function disconnectInBackground(c: Context<AppEnv>, userId: string, credentialIds: readonly string[]): void {
  if (credentialIds.length === 0) return;
  const credentialsEnded = c.get("credentialsEnded");
  if (!credentialsEnded) {
    // Only a router mounted outside createApp() gets here; the sessions' re-check still closes them.
    log("error", "socket_disconnect_unwired", { requestId: c.get("requestId"), userId });
    return;
  }
  const work = credentialsEnded(c.env, userId, credentialIds).catch((error: unknown) =>
    log("warn", "socket_disconnect_failed", { requestId: c.get("requestId"), userId, error: String(error) }),
  );
  c.executionCtx.waitUntil(work);
}
