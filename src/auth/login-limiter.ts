// Brute-force limits for login and signup, counted in LoginLimiterDO objects: per (email, client
// network) with a larger per-email ceiling that spares networks the account signed in from, per
// client network across all emails, and signups per client network.
import type { Config } from "../config/config.ts";
import type { Env } from "../config/env.ts";
import { apiError } from "../http/errors.ts";
import { clientNetwork } from "./client-network.ts";
import type { LoginLimiterDO } from "./login-limiter-do.ts";

const rateLimited = (retryAfterSeconds: number) =>
  apiError("rate_limited", { headers: { "Retry-After": String(retryAfterSeconds) } });

function limiter(env: Pick<Env, "LOGIN_LIMITER">, key: string): DurableObjectStub<LoginLimiterDO> {
  const namespace: DurableObjectNamespace<LoginLimiterDO> = env.LOGIN_LIMITER;
  return namespace.getByName(key);
}

export const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
export const networkKey = (request: Request) => `ip:${clientNetwork(request)}`;
export const signupKey = (request: Request) => `signup:${clientNetwork(request)}`;

/** Counts a password attempt against the (email, network) pair, the email and the network; 429 when one is spent. */
export async function consumeLoginAttempt(env: Env, config: Config, email: string, request: Request): Promise<void> {
  const windowMs = config.LOGIN_ATTEMPT_WINDOW_SECONDS * 1000;
  const limits = {
    perEmailAndIp: config.LOGIN_ATTEMPTS_PER_EMAIL_AND_IP,
    perEmail: config.LOGIN_ATTEMPTS_PER_EMAIL,
    windowMs,
  };
  const [byEmail, byNetwork] = await Promise.all([
    limiter(env, emailKey(email)).attemptLogin(clientNetwork(request), limits),
    limiter(env, networkKey(request)).attempt(config.LOGIN_ATTEMPTS_PER_IP, windowMs),
  ]);
  if (!byEmail.allowed || !byNetwork.allowed) {
    throw rateLimited(Math.max(byEmail.retryAfterSeconds, byNetwork.retryAfterSeconds));
  }
}

/** After a correct password: forgives this network's attempts on the email, and trusts it for the account. */
export async function loginSucceeded(env: Env, email: string, request: Request): Promise<void> {
  await limiter(env, emailKey(email)).loginSucceeded(clientNetwork(request));
}

/** Counts a signup against its client network; 429 with Retry-After once spent. */
export async function consumeSignupAttempt(env: Env, config: Config, request: Request): Promise<void> {
  const result = await limiter(env, signupKey(request)).attempt(
    config.SIGNUPS_PER_IP,
    config.SIGNUP_WINDOW_SECONDS * 1000,
  );
  if (!result.allowed) throw rateLimited(result.retryAfterSeconds);
}
