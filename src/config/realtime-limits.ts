// Real-time limits: the WS_* part of the Worker configuration (src/config), in the shape the socket hub uses.
import { getConfig } from "./config.ts";
import type { Env } from "./env.ts";

export interface RealtimeLimits {
  maxFrameBytes: number;
  /** Sustained frames per second per connection; bursts of twice this are absorbed. */
  messagesPerSecond: number;
  maxSocketsPerSession: number;
  /**
   * Sockets one user may hold in one session. The owner's share is also held back from everyone
   * else (non-owners together get maxSocketsPerSession - maxSocketsPerUser), so the owner always gets in.
   */
  maxSocketsPerUser: number;
  ticketTtlMs: number;
  /** How often a session with sockets re-reads its members and its sockets' credentials from D1. */
  accessRecheckMs: number;
}

/** Throws a ConfigError naming every invalid variable: better a loud failure than unbounded sockets. */
export function getRealtimeLimits(env: Env): RealtimeLimits {
  const config = getConfig(env);
  return {
    maxFrameBytes: config.WS_MAX_FRAME_BYTES,
    messagesPerSecond: config.WS_MAX_MESSAGES_PER_SECOND,
    maxSocketsPerSession: config.WS_MAX_SOCKETS_PER_SESSION,
    maxSocketsPerUser: config.WS_MAX_SOCKETS_PER_USER,
    ticketTtlMs: config.WS_TICKET_TTL_SECONDS * 1000,
    accessRecheckMs: config.WS_ACCESS_RECHECK_SECONDS * 1000,
  };
}
