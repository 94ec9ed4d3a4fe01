// Real-time limits: read once from the Worker variables declared in infra/worker-vars.ts, validated.
import { z } from "zod";
import { variablesReader } from "../config/variables.ts";

const bounded = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const LimitsSchema = z.object({
  WS_MAX_FRAME_BYTES: bounded(256, 1_048_576),
  WS_MAX_MESSAGES_PER_SECOND: bounded(1, 10_000),
  WS_MAX_SOCKETS_PER_SESSION: bounded(1, 32_768),
  WS_TICKET_TTL_SECONDS: bounded(1, 60),
});

export interface RealtimeLimits {
  maxFrameBytes: number;
  /** Sustained frames per second per connection; bursts of twice this are absorbed. */
  messagesPerSecond: number;
  maxSocketsPerSession: number;
  ticketTtlMs: number;
}

/** Throws a ConfigError on a misconfigured stage: better a loud failure than unbounded sockets. */
export const getRealtimeLimits: (env: object) => RealtimeLimits = variablesReader(
  LimitsSchema.transform(
    (vars): RealtimeLimits => ({
      maxFrameBytes: vars.WS_MAX_FRAME_BYTES,
      messagesPerSecond: vars.WS_MAX_MESSAGES_PER_SECOND,
      maxSocketsPerSession: vars.WS_MAX_SOCKETS_PER_SESSION,
      ticketTtlMs: vars.WS_TICKET_TTL_SECONDS * 1000,
    }),
  ),
  "real-time limits",
);
