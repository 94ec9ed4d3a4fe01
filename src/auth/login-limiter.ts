// Login brute-force limits: every attempt counts against its email and its client IP (LoginLimiterDO).
import type { Config } from "../config/config.ts";
import type { Env } from "../env.ts";
import { tooManyRequests } from "../http/errors.ts";
import type { LoginLimiterDO } from "./login-limiter-do.ts";

function limiter(env: Pick<Env, "LOGIN_LIMITER">, key: string): DurableObjectStub<LoginLimiterDO> {
  const namespace: DurableObjectNamespace<LoginLimiterDO> = env.LOGIN_LIMITER;
  return namespace.getByName(key);
}

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;

/** Cloudflare sets CF-Connecting-IP on every request; without it (never in production) all share one bucket. */
const ipKey = (request: Request) => `ip:${request.headers.get("cf-connecting-ip") ?? "unknown"}`;

/** Counts this attempt against the email and the client IP; throws 429 with Retry-After when either is spent. */
export async function consumeLoginAttempt(env: Env, config: Config, email: string, request: Request): Promise<void> {
  const windowMs = config.LOGIN_ATTEMPT_WINDOW_SECONDS * 1000;
  const [byEmail, byIp] = await Promise.all([
    limiter(env, emailKey(email)).attempt(config.LOGIN_ATTEMPTS_PER_EMAIL, windowMs),
    limiter(env, ipKey(request)).attempt(config.LOGIN_ATTEMPTS_PER_IP, windowMs),
  ]);
  if (!byEmail.allowed || !byIp.allowed) {
    throw tooManyRequests(Math.max(byEmail.retryAfterSeconds, byIp.retryAfterSeconds));
  }
}

export async function forgiveEmail(env: Env, email: string): Promise<void> {
  await limiter(env, emailKey(email)).reset();
}
