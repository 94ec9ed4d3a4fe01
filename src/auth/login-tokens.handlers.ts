// Handlers for your login tokens, typed from their routes. A user only ever sees or revokes their own.
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../http/app-env.ts";
import { apiError } from "../http/errors.ts";
import { log } from "../shared/log.ts";
import { decodeApiKeyCursor, encodeApiKeyCursor } from "./api-key-cursor.ts";
import { revokeCredentials } from "./credential-revocation.ts";
import { type CredentialRow, listCredentials } from "./credentials.ts";
import type { listLoginTokensRoute, revokeAllLoginTokensRoute, revokeLoginTokenRoute } from "./login-tokens.routes.ts";
import { iso, isoOrNull } from "./schemas.ts";
import { disconnectInBackground } from "./socket-revocation.ts";

export const listLoginTokens: RouteHandler<typeof listLoginTokensRoute, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const after = cursor === undefined ? null : decodeApiKeyCursor(cursor);
  const now = Date.now();
  // One row past the page says whether another page exists; expired tokens are left out.
  const query = { userId: c.var.user.id, kind: "session", limit: limit + 1, after, liveAt: now } as const;
  const rows = await listCredentials(c.env.DB, query);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeApiKeyCursor({ createdAt: last.created_at, id: last.id }) : null;
  const currentId = c.var.credential.id;
  return c.json({ items: page.map((row) => presentLoginToken(row, currentId)), nextCursor }, 200);
};

const presentLoginToken = (row: CredentialRow, currentId: string | null) => ({
  id: row.id,
  prefix: row.prefix,
  createdAt: iso(row.created_at),
  lastUsedAt: isoOrNull(row.last_used_at),
  expiresAt: iso(row.expires_at ?? row.created_at),
  userAgent: row.user_agent,
  current: row.id === currentId,
});

export const revokeLoginToken: RouteHandler<typeof revokeLoginTokenRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const userId = c.var.user.id;
  const revoked = await revokeCredentials(c.env.DB, { userId, id, kind: "session" }, Date.now());
  // Someone else's token looks exactly like a missing one.
  if (revoked.length === 0) throw apiError("not_found", { message: "No such login token." });
  disconnectInBackground(c, userId, revoked);
  log("info", "login_token_revoked", { requestId: c.get("requestId"), userId, credentialId: id, revoked });
  return c.body(null, 204);
};

export const revokeAllLoginTokens: RouteHandler<typeof revokeAllLoginTokensRoute, AppEnv> = async (c) => {
  const { includeCurrent } = c.req.valid("query");
  const userId = c.var.user.id;
  const exceptId = includeCurrent ? null : c.var.credential.id;
  const revoked = await revokeCredentials(c.env.DB, { userId, kind: "session", exceptId }, Date.now());
  disconnectInBackground(c, userId, revoked);
  log("info", "login_tokens_revoked", { requestId: c.get("requestId"), userId, count: revoked.length });
  return c.json({ revoked: revoked.length }, 200);
};
