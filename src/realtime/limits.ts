// Real-time limits: read once from the Worker variables declared in infra/worker-vars.ts, validated.
import { z } from "zod";
import { variablesReader } from "../config/variables.ts";

const bounded = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const LimitsSchema = z.object({
  WS_MAX_FRAME_BYTES: bounded(256, 1_048_576),
  WS_MAX_MESSAGES_PER_SECOND: bounded(1, 10_000),
  WS_MAX_SOCKETS_PER_SESSION: bounded(1, 32_768),
  WS_MAX_SOCKETS_PER_USER: bounded(1, 32_767),
  WS_TICKET_TTL_SECONDS: bounded(1, 60),
  /** At most the credential cache's 30 s, so a socket never outlives a revoked token by more than HTTP does. */
  WS_ACCESS_RECHECK_SECONDS: bounded(1, 30),
});

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

/** Throws a ConfigError on a misconfigured stage: better a loud failure than unbounded sockets. */
export const getRealtimeLimits: (env: object) => RealtimeLimits = variablesReader(
  LimitsSchema.refine((vars) => vars.WS_MAX_SOCKETS_PER_USER < vars.WS_MAX_SOCKETS_PER_SESSION, {
    message: "must be below WS_MAX_SOCKETS_PER_SESSION (the owner's share is reserved out of it)",
    path: ["WS_MAX_SOCKETS_PER_USER"],
  }).transform(
    (vars): RealtimeLimits => ({
      maxFrameBytes: vars.WS_MAX_FRAME_BYTES,
      messagesPerSecond: vars.WS_MAX_MESSAGES_PER_SECOND,
      maxSocketsPerSession: vars.WS_MAX_SOCKETS_PER_SESSION,
      maxSocketsPerUser: vars.WS_MAX_SOCKETS_PER_USER,
      ticketTtlMs: vars.WS_TICKET_TTL_SECONDS * 1000,
      accessRecheckMs: vars.WS_ACCESS_RECHECK_SECONDS * 1000,
    }),
  ),
  "real-time limits",
);
