// Real-time limits: read once from the Worker variables declared in infra/worker-vars.ts, validated.
import { z } from "zod";

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

type LimitVars = { readonly [K in keyof typeof LimitsSchema.shape]?: unknown };

const cache = new WeakMap<object, RealtimeLimits>();

export function getRealtimeLimits(env: LimitVars): RealtimeLimits {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = LimitsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid real-time limits: ${problems.join("; ")}`);
  }
  const vars = parsed.data;
  const limits: RealtimeLimits = {
    maxFrameBytes: vars.WS_MAX_FRAME_BYTES,
    messagesPerSecond: vars.WS_MAX_MESSAGES_PER_SECOND,
    maxSocketsPerSession: vars.WS_MAX_SOCKETS_PER_SESSION,
    ticketTtlMs: vars.WS_TICKET_TTL_SECONDS * 1000,
  };
  cache.set(env, limits);
  return limits;
}
