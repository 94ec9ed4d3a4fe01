// Who may do what in a session, decided in the Worker from the D1 membership index before any
// object is touched; verdicts are cached briefly so the hot path skips D1.
import type { Context } from "hono";
import type { AppEnv } from "../../http/app-env.ts";
import { apiError } from "../../http/errors.ts";
import type { Role } from "../model.ts";
import { findMembership, type Membership } from "./index-store.ts";
import { SESSION_ID_PATTERN } from "./schemas.ts";

/**
 * How stale a cached membership may be. A member removed (or a session deleted) through another
 * isolate keeps access here for at most this long; changes made through this isolate apply at once.
 * Only positive verdicts are cached: a stranger's probe always reads D1 and never reaches an object.
 */
export const MEMBERSHIP_CACHE_TTL_MS = 10_000;
const MEMBERSHIP_CACHE_MAX_ENTRIES = 10_000;

export type Need = "read" | "write" | "manage";

const RANK: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };
const REQUIRED: Record<Need, Role> = { read: "viewer", write: "editor", manage: "owner" };

export function allows(role: Role, need: Need): boolean {
  return RANK[role] >= RANK[REQUIRED[need]];
}

interface Entry {
  membership: Membership;
  cachedAt: number;
}

const cache = new Map<string, Entry>();
const key = (sessionId: string, userId: string) => `${sessionId} ${userId}`;

function remember(cacheKey: string, membership: Membership, now: number): void {
  if (cache.size >= MEMBERSHIP_CACHE_MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(cacheKey, { membership, cachedAt: now });
}

/**
 * After a create through this isolate the owner's verdict is known without asking D1, so their
 * first call to the new session (typically its first message) skips the membership read.
 */
export function rememberOwner(sessionId: string, ownerId: string, title: string | null): void {
  remember(key(sessionId, ownerId), { role: "owner", ownerId, title, deleted: false }, Date.now());
}

/** Forget a cached verdict after a change made through this isolate. */
export function forgetMembership(sessionId: string, userId?: string): void {
  if (userId !== undefined) {
    cache.delete(key(sessionId, userId));
    return;
  }
  const prefix = `${sessionId} `;
  for (const cacheKey of cache.keys()) if (cacheKey.startsWith(prefix)) cache.delete(cacheKey);
}

export interface Access {
  sessionId: string;
  userId: string;
  role: Role;
  ownerId: string;
}

/**
 * The caller's access to a live session: 404 when they are not a member (existence is not leaked),
 * 403 when they are but their role falls short.
 */
export async function authorize(c: Context<AppEnv>, sessionId: string, need: Need): Promise<Access> {
  if (!SESSION_ID_PATTERN.test(sessionId)) throw apiError("not_found", { message: "No such session." });
  const userId = c.var.user.id;
  const cacheKey = key(sessionId, userId);
  const now = Date.now();
  let membership = cache.get(cacheKey);
  if (!membership || now - membership.cachedAt >= MEMBERSHIP_CACHE_TTL_MS) {
    const found = await findMembership(c.env.DB, sessionId, userId);
    if (!found || found.deleted) {
      cache.delete(cacheKey);
      throw apiError("not_found", { message: "No such session." });
    }
    membership = { membership: found, cachedAt: now };
    remember(cacheKey, found, now);
  }
  const { role, ownerId } = membership.membership;
  if (!allows(role, need))
    throw apiError("forbidden", { message: `Your role (${role}) cannot do this; it needs ${REQUIRED[need]}.` });
  return { sessionId, userId, role, ownerId };
}

/** For retrying an interrupted delete: the owner still reaches a session marked deleted. */
export async function authorizeOwnerIncludingDeleted(c: Context<AppEnv>, sessionId: string): Promise<Membership> {
  if (!SESSION_ID_PATTERN.test(sessionId)) throw apiError("not_found", { message: "No such session." });
  const membership = await findMembership(c.env.DB, sessionId, c.var.user.id);
  if (!membership) throw apiError("not_found", { message: "No such session." });
  if (membership.role !== "owner") {
    if (membership.deleted) throw apiError("not_found", { message: "No such session." });
    throw apiError("forbidden", { message: "Only the owner can delete a session." });
  }
  return membership;
}
