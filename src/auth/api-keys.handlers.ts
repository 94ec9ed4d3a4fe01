// Handlers for API keys, typed from their routes. Only the owner ever sees or revokes a key.
import type { RouteHandler } from "@hono/zod-openapi";
import { getConfig } from "../config/config.ts";
import type { AppEnv } from "../http/app-env.ts";
import { apiError } from "../http/errors.ts";
import { log } from "../shared/log.ts";
import { decodeApiKeyCursor, encodeApiKeyCursor } from "./api-key-cursor.ts";
import { mintApiKey } from "./api-key-minting.ts";
import type { createApiKeyRoute, deleteApiKeyRoute, listApiKeysRoute } from "./api-keys.routes.ts";
import { revokeCredentials } from "./credential-revocation.ts";
import { type CredentialRow, listCredentials, newCredential } from "./credentials.ts";
import { consumeLoginAttempt, loginSucceeded } from "./login-limiter.ts";
import { verifyPassword } from "./passwords.ts";
import { iso, isoOrNull } from "./schemas.ts";
import { disconnectInBackground } from "./socket-revocation.ts";
import { findPasswordHash } from "./users.ts";

export const createApiKey: RouteHandler<typeof createApiKeyRoute, AppEnv> = async (c) => {
  const { name, expiresInDays, currentPassword } = c.req.valid("json");
  const { user, credential } = c.var;
  const config = getConfig(c.env);
  // A key is bound to the credential creating it, unless the caller proves who they are afresh: the
  // password, or an identity-provider token (short-lived, and the provider is where that user is).
  let parentId = credential.id;
  if (currentPassword !== undefined) {
    const storedHash = await findPasswordHash(c.env.DB, user.id);
    if (storedHash === null) {
      throw apiError("no_password");
    }
    await consumeLoginAttempt(c.env, config, user.email, c.req.raw);
    if (!(await verifyPassword(currentPassword, storedHash, config.PASSWORD_PEPPER)).ok) {
      throw apiError("invalid_password");
    }
    // Like a login: the right password forgives this network's attempts on the account.
    await loginSucceeded(c.env, user.email, c.req.raw);
    parentId = null;
  }
  const now = Date.now();
  const ttlDays = expiresInDays ?? null;
  const { token, row } = await newCredential({ userId: user.id, kind: "api_key", name, ttlDays, now });
  const minted = await mintApiKey(c.env.DB, row, { parentId, maxKeys: config.QUOTA_API_KEYS_PER_USER });
  if (!minted.ok && minted.reason === "quota") {
    const message = `You hold ${config.QUOTA_API_KEYS_PER_USER} live API keys, the most allowed; revoke one first.`;
    throw apiError("api_key_limit", { message });
  }
  if (!minted.ok) throw apiError("unauthorized", { message: "The token is invalid, expired or revoked." });
  log("info", "api_key_created", { requestId: c.get("requestId"), userId: user.id, credentialId: row.id, parentId });
  return c.json(
    {
      id: row.id,
      name,
      key: token,
      prefix: row.displayPrefix,
      createdAt: iso(now),
      expiresAt: isoOrNull(minted.expiresAt),
    },
    201,
  );
};

export const listApiKeysHandler: RouteHandler<typeof listApiKeysRoute, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const after = cursor === undefined ? null : decodeApiKeyCursor(cursor);
  // One row past the page says whether another page exists.
  const query = { userId: c.var.user.id, kind: "api_key", limit: limit + 1, after } as const;
  const rows = await listCredentials(c.env.DB, query);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeApiKeyCursor({ createdAt: last.created_at, id: last.id }) : null;
  return c.json({ items: page.map(presentApiKey), nextCursor }, 200);
};

const presentApiKey = (row: CredentialRow) => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: iso(row.created_at),
  lastUsedAt: isoOrNull(row.last_used_at),
  expiresAt: isoOrNull(row.expires_at),
});

export const deleteApiKey: RouteHandler<typeof deleteApiKeyRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const userId = c.var.user.id;
  const revoked = await revokeCredentials(c.env.DB, { userId, id, kind: "api_key" }, Date.now());
  // Someone else's key looks exactly like a missing one.
  if (revoked.length === 0) throw apiError("not_found", { message: "No such API key." });
  disconnectInBackground(c, userId, revoked);
  log("info", "api_key_revoked", { requestId: c.get("requestId"), userId, credentialId: id, revoked });
  return c.body(null, 204);
};
