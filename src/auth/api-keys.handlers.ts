// Handlers for API keys, typed from their routes. Only the owner ever sees or revokes a key.
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../http/app-env.ts";
import { notFound } from "../http/errors.ts";
import { log } from "../http/log.ts";
import { disconnectCredential } from "../realtime/live-access.ts";
import { decodeApiKeyCursor, encodeApiKeyCursor } from "./api-key-cursor.ts";
import type { createApiKeyRoute, deleteApiKeyRoute, listApiKeysRoute } from "./api-keys.routes.ts";
import { credentialCache } from "./credential-cache.ts";
import {
  type ApiKeyRow,
  insertCredentialStatement,
  listApiKeys,
  newCredential,
  revokeCredential,
} from "./credentials.ts";
import { iso, isoOrNull } from "./schemas.ts";

export const createApiKey: RouteHandler<typeof createApiKeyRoute, AppEnv> = async (c) => {
  const { name, expiresInDays } = c.req.valid("json");
  const now = Date.now();
  const ttlDays = expiresInDays ?? null;
  const { token, row } = await newCredential({ userId: c.var.user.id, kind: "api_key", name, ttlDays, now });
  await insertCredentialStatement(c.env.DB, row).run();
  log("info", "api_key_created", { requestId: c.get("requestId"), userId: c.var.user.id, credentialId: row.id });
  return c.json(
    {
      id: row.id,
      name,
      key: token,
      prefix: row.displayPrefix,
      createdAt: iso(now),
      expiresAt: isoOrNull(row.expiresAt),
    },
    201,
  );
};

export const listApiKeysHandler: RouteHandler<typeof listApiKeysRoute, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const after = cursor === undefined ? null : decodeApiKeyCursor(cursor);
  // One row past the page says whether another page exists.
  const rows = await listApiKeys(c.env.DB, c.var.user.id, limit + 1, after);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeApiKeyCursor({ createdAt: last.created_at, id: last.id }) : null;
  return c.json({ items: page.map(presentApiKey), nextCursor }, 200);
};

const presentApiKey = (row: ApiKeyRow) => ({
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
  const hash = await revokeCredential(c.env.DB, { id, userId, kind: "api_key" }, Date.now());
  // Someone else's key looks exactly like a missing one.
  if (hash === null) throw notFound("No such API key.");
  credentialCache.delete(hash);
  // Sockets opened with the key close shortly after this answers; the sessions' re-check bounds it.
  c.executionCtx.waitUntil(
    disconnectCredential(c.env, userId, id).catch((error: unknown) =>
      log("warn", "socket_disconnect_failed", { requestId: c.get("requestId"), error: String(error) }),
    ),
  );
  log("info", "api_key_revoked", { requestId: c.get("requestId"), userId, credentialId: id });
  return c.body(null, 204);
};
