// Handlers for signup, login, logout and /me, typed from their routes.
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getConfig } from "../config/config.ts";
import type { AppEnv } from "../http/app-env.ts";
import { ApiError, conflict } from "../http/errors.ts";
import { log } from "../http/log.ts";
import { disconnectCredential } from "../realtime/live-access.ts";
import type { loginRoute, logoutRoute, meRoute, signupRoute } from "./auth.routes.ts";
import { credentialCache } from "./credential-cache.ts";
import { insertCredentialStatement, newCredential, revokeCredential } from "./credentials.ts";
import { consumeLoginAttempt, forgiveEmail } from "./login-limiter.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { iso } from "./schemas.ts";
import { findPasswordLogin, insertUserStatement, updatePasswordHash } from "./users.ts";

const signupDisabled = () => new ApiError(403, "signup_disabled", "Signup is switched off for this API.");
// One message for an unknown email and a wrong password, so neither is revealed.
const invalidCredentials = () => new ApiError(401, "invalid_credentials", "Email or password is incorrect.");

async function loginToken(env: AppEnv["Bindings"], userId: string, now: number) {
  const ttlDays = getConfig(env).LOGIN_TOKEN_TTL_DAYS;
  const { token, row } = await newCredential({ userId, kind: "session", name: null, ttlDays, now });
  return { token, row, expiresAt: iso(row.expiresAt ?? now) };
}

/** Work the response need not wait for; a failure is logged, never surfaced. */
function inBackground(c: Context<AppEnv>, event: string, work: Promise<unknown>): void {
  const logged = work.catch((error: unknown) =>
    log("warn", event, { requestId: c.get("requestId"), error: String(error) }),
  );
  c.executionCtx.waitUntil(logged);
}

export const signup: RouteHandler<typeof signupRoute, AppEnv> = async (c) => {
  if (!getConfig(c.env).SIGNUP_ENABLED) throw signupDisabled();
  const { email, password, name = null } = c.req.valid("json");
  const now = Date.now();
  const user = { id: crypto.randomUUID(), email, name };
  const passwordHash = await hashPassword(password);
  const { token, row, expiresAt } = await loginToken(c.env, user.id, now);
  // One batch: the credential insert selects the new user, so it does nothing when the email was taken.
  const [created] = await c.env.DB.batch([
    insertUserStatement(c.env.DB, { ...user, passwordHash, externalSubject: null, now }),
    insertCredentialStatement(c.env.DB, row),
  ]);
  if (!created?.meta.changes) throw conflict("email_taken", "An account with this email already exists.");
  log("info", "signup", { requestId: c.get("requestId"), userId: user.id });
  return c.json({ user, token, expiresAt }, 201);
};

export const login: RouteHandler<typeof loginRoute, AppEnv> = async (c) => {
  const { email, password } = c.req.valid("json");
  await consumeLoginAttempt(c.env, getConfig(c.env), email, c.req.raw);
  const account = await findPasswordLogin(c.env.DB, email);
  const check = await verifyPassword(password, account?.password_hash ?? null);
  if (!account || !check.ok) {
    log("info", "login_failed", { requestId: c.get("requestId") });
    throw invalidCredentials();
  }
  const now = Date.now();
  const { token, row, expiresAt } = await loginToken(c.env, account.id, now);
  await insertCredentialStatement(c.env.DB, row).run();
  inBackground(c, "login_limit_reset_failed", forgiveEmail(c.env, email));
  if (check.needsRehash) {
    const rehash = hashPassword(password).then((hash) => updatePasswordHash(c.env.DB, account.id, hash, now));
    inBackground(c, "password_rehash_failed", rehash);
  }
  log("info", "login", { requestId: c.get("requestId"), userId: account.id });
  const user = { id: account.id, email: account.email, name: account.name };
  return c.json({ user, token, expiresAt }, 200);
};

export const logout: RouteHandler<typeof logoutRoute, AppEnv> = async (c) => {
  const { credential, user } = c.var;
  if (credential.id === null) {
    throw new ApiError(400, "not_revocable", "Identity-provider tokens are revoked at the identity provider.");
  }
  await revokeCredential(c.env.DB, { id: credential.id, userId: user.id }, Date.now());
  credentialCache.delete(credential.hash);
  inBackground(c, "socket_disconnect_failed", disconnectCredential(c.env, user.id, credential.id));
  log("info", "logout", { requestId: c.get("requestId"), userId: user.id, credentialId: credential.id });
  return c.body(null, 204);
};

export const me: RouteHandler<typeof meRoute, AppEnv> = (c) => c.json({ user: c.var.user }, 200);
