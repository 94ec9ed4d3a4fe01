// Handlers for signup, login, logout, password change and /me, typed from their routes.
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getConfig } from "../config/config.ts";
import type { AppEnv } from "../http/app-env.ts";
import { apiError } from "../http/errors.ts";
import { log } from "../shared/log.ts";
import type { changePasswordRoute, loginRoute, logoutRoute, meRoute, signupRoute } from "./auth.routes.ts";
import { afterRevocation, revocationStatement, revokeCredentials } from "./credential-revocation.ts";
import { insertCredentialStatement, newCredential, userAgentOf } from "./credentials.ts";
import { consumeLoginAttempt, consumeSignupAttempt, loginSucceeded } from "./login-limiter.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { iso } from "./schemas.ts";
import { disconnectInBackground } from "./socket-revocation.ts";
import {
  findPasswordHash,
  findPasswordLogin,
  findUserByEmail,
  insertUserStatement,
  updatePasswordHashStatement,
} from "./users.ts";

const signupDisabled = () => apiError("signup_disabled");
const emailTaken = () => apiError("email_taken");
// One message for an unknown email and a wrong password, so neither is revealed.
const invalidCredentials = () => apiError("invalid_credentials");

async function loginToken(c: Context<AppEnv>, userId: string, now: number) {
  const ttlDays = getConfig(c.env).LOGIN_TOKEN_TTL_DAYS;
  const userAgent = userAgentOf(c.req.raw);
  const { token, row } = await newCredential({ userId, kind: "session", name: null, ttlDays, now, userAgent });
  return { token, row, expiresAt: iso(row.expiresAt ?? now) };
}

/** Work the response need not wait for; a failure is logged, never surfaced. */
function inBackground(c: Context<AppEnv>, event: string, work: Promise<unknown>): void {
  const logged = work.catch((error: unknown) =>
    log("warn", event, { requestId: c.get("requestId"), error: String(error) }),
  );
  c.executionCtx.waitUntil(logged);
}

/**
 * Cheap checks first: the switch, the per-network signup limit, then whether the email is taken.
 * Only a signup that can succeed pays for the 100k-iteration hash. `409 email_taken` says openly
 * that an address has an account, so its faster answer reveals nothing more; the per-network limit
 * is what bounds probing addresses (docs/security.md, "Brute-force and quotas").
 */
export const signup: RouteHandler<typeof signupRoute, AppEnv> = async (c) => {
  const config = getConfig(c.env);
  if (!config.SIGNUP_ENABLED) throw signupDisabled();
  const { email, password, name = null } = c.req.valid("json");
  await consumeSignupAttempt(c.env, config, c.req.raw);
  if (await findUserByEmail(c.env.DB, email)) throw emailTaken();
  const now = Date.now();
  const user = { id: crypto.randomUUID(), email, name };
  const passwordHash = await hashPassword(password, config.PASSWORD_PEPPER);
  const { token, row, expiresAt } = await loginToken(c, user.id, now);
  // One batch: the credential insert selects the new user, so it does nothing when the email was
  // taken in the meantime.
  const [created] = await c.env.DB.batch([
    insertUserStatement(c.env.DB, { ...user, passwordHash, externalSubject: null, now }),
    insertCredentialStatement(c.env.DB, row),
  ]);
  if (!created?.meta.changes) throw emailTaken();
  log("info", "signup", { requestId: c.get("requestId"), userId: user.id });
  return c.json({ user, token, expiresAt }, 201);
};

export const login: RouteHandler<typeof loginRoute, AppEnv> = async (c) => {
  const { email, password } = c.req.valid("json");
  const config = getConfig(c.env);
  await consumeLoginAttempt(c.env, config, email, c.req.raw);
  const account = await findPasswordLogin(c.env.DB, email);
  const check = await verifyPassword(password, account?.password_hash ?? null, config.PASSWORD_PEPPER);
  if (check.unknownPepper) {
    // An operator dropped a pepper that hashes still use (docs/configuration.md, "Rotating the pepper").
    log("warn", "password_pepper_unknown", { requestId: c.get("requestId"), userId: account?.id });
  }
  if (!account || !check.ok) {
    log("info", "login_failed", { requestId: c.get("requestId") });
    throw invalidCredentials();
  }
  const now = Date.now();
  const { token, row, expiresAt } = await loginToken(c, account.id, now);
  await insertCredentialStatement(c.env.DB, row).run();
  inBackground(c, "login_limit_reset_failed", loginSucceeded(c.env, email, c.req.raw));
  if (check.needsRehash) {
    const rehash = hashPassword(password, config.PASSWORD_PEPPER).then((hash) =>
      updatePasswordHashStatement(c.env.DB, account.id, hash, now).run(),
    );
    inBackground(c, "password_rehash_failed", rehash);
  }
  log("info", "login", { requestId: c.get("requestId"), userId: account.id });
  const user = { id: account.id, email: account.email, name: account.name };
  return c.json({ user, token, expiresAt }, 200);
};

export const logout: RouteHandler<typeof logoutRoute, AppEnv> = async (c) => {
  const { credential, user } = c.var;
  if (credential.id === null) {
    throw apiError("not_revocable");
  }
  const revoked = await revokeCredentials(c.env.DB, { userId: user.id, id: credential.id }, Date.now());
  disconnectInBackground(c, user.id, revoked);
  log("info", "logout", { requestId: c.get("requestId"), userId: user.id, credentialId: credential.id });
  return c.body(null, 204);
};

/**
 * Checks the current password (counted by the login limits, so a stolen token cannot be used to
 * guess it), stores the new one and revokes every other credential: login tokens and API keys,
 * with whatever they minted. The credential presenting the request stays valid.
 */
export const changePassword: RouteHandler<typeof changePasswordRoute, AppEnv> = async (c) => {
  const { currentPassword, newPassword } = c.req.valid("json");
  const { user, credential } = c.var;
  const storedHash = await findPasswordHash(c.env.DB, user.id);
  if (storedHash === null) {
    throw apiError("no_password");
  }
  const config = getConfig(c.env);
  await consumeLoginAttempt(c.env, config, user.email, c.req.raw);
  if (!(await verifyPassword(currentPassword, storedHash, config.PASSWORD_PEPPER)).ok) {
    throw apiError("invalid_password");
  }
  const now = Date.now();
  const hash = await hashPassword(newPassword, config.PASSWORD_PEPPER);
  const [, revoked] = await c.env.DB.batch([
    updatePasswordHashStatement(c.env.DB, user.id, hash, now),
    revocationStatement(c.env.DB, { userId: user.id, exceptId: credential.id }, now),
  ]);
  const ids = revoked ? afterRevocation(revoked) : [];
  disconnectInBackground(c, user.id, ids);
  inBackground(c, "login_limit_reset_failed", loginSucceeded(c.env, user.email, c.req.raw));
  log("info", "password_changed", { requestId: c.get("requestId"), userId: user.id, revoked: ids.length });
  return c.json({ revoked: ids.length }, 200);
};

export const me: RouteHandler<typeof meRoute, AppEnv> = (c) => c.json({ user: c.var.user }, 200);
