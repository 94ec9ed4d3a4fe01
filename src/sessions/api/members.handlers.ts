// Handlers for sharing: the owner manages members; anyone may leave. Membership lives in D1; each
// change reaches the session's open sockets before the response.
import type { RouteHandler } from "@hono/zod-openapi";
import { findUserByEmail } from "../../auth/index.ts";
import { getConfig } from "../../config/config.ts";
import type { AppEnv } from "../../http/app-env.ts";
import { apiError } from "../../http/errors.ts";
import { log } from "../../shared/log.ts";
import { authorize, forgetMembership } from "./access.ts";
import { removeMember as deleteMember, addMember as insertMember, listMembers, setMemberRole } from "./index-store.ts";
import { pushMemberRole } from "./live-access.ts";
import type { addMemberRoute, changeMemberRoleRoute, listMembersRoute, removeMemberRoute } from "./members.routes.ts";
import { presentMember } from "./present.ts";

export const addMember: RouteHandler<typeof addMemberRoute, AppEnv> = async (c) => {
  const access = await authorize(c, c.req.valid("param").id, "manage");
  const { email, role } = c.req.valid("json");
  const user = await findUserByEmail(c.env.DB, email);
  if (!user) throw apiError("not_found", { message: "No user has that email; they need to sign up first." });
  if (user.id === access.userId) throw apiError("already_member", { message: "You own this session." });
  // QUOTA_MEMBERS_PER_SESSION keeps fan-out and the members list bounded.
  const maxMembers = getConfig(c.env).QUOTA_MEMBERS_PER_SESSION;
  const now = Date.now();
  const outcome = await insertMember(c.env.DB, access.sessionId, user.id, role, now, maxMembers);
  if (outcome === "member_limit") {
    throw apiError("member_limit", {
      message: `A session can have at most ${maxMembers} members, its owner included.`,
    });
  }
  if (outcome === "already_member") {
    throw apiError("already_member");
  }
  forgetMembership(access.sessionId, user.id);
  log("info", "member_added", { requestId: c.get("requestId"), sessionId: access.sessionId, memberId: user.id, role });
  const member = presentMember({ user_id: user.id, email: user.email, name: user.name, role, created_at: now });
  return c.json({ member }, 201);
};

export const listMembersHandler: RouteHandler<typeof listMembersRoute, AppEnv> = async (c) => {
  const access = await authorize(c, c.req.valid("param").id, "read");
  const rows = await listMembers(c.env.DB, access.sessionId);
  return c.json({ items: rows.map(presentMember), nextCursor: null }, 200);
};

export const removeMember: RouteHandler<typeof removeMemberRoute, AppEnv> = async (c) => {
  const { id, userId } = c.req.valid("param");
  const leaving = userId === c.var.user.id;
  const access = await authorize(c, id, leaving ? "read" : "manage");
  // Only the owner passes "manage", so naming the owner here means the owner is trying to leave.
  if (userId === access.ownerId) {
    throw apiError("owner_cannot_leave");
  }
  if (!(await deleteMember(c.env.DB, access.sessionId, userId)))
    throw apiError("not_found", { message: "That user is not a member." });
  forgetMembership(access.sessionId, userId);
  await pushMemberRole(c.env, access.sessionId, userId, null);
  log("info", "member_removed", { requestId: c.get("requestId"), sessionId: access.sessionId, memberId: userId });
  return c.body(null, 204);
};

export const changeMemberRole: RouteHandler<typeof changeMemberRoleRoute, AppEnv> = async (c) => {
  const { id, userId } = c.req.valid("param");
  const { role } = c.req.valid("json");
  const access = await authorize(c, id, "manage");
  const row = await setMemberRole(c.env.DB, access.sessionId, userId, role);
  if (!row) throw apiError("not_found", { message: "That user is not a member." });
  if (row.role === "owner") throw apiError("owner_role_fixed");
  forgetMembership(access.sessionId, userId);
  await pushMemberRole(c.env, access.sessionId, userId, role);
  log("info", "member_role_changed", {
    requestId: c.get("requestId"),
    sessionId: access.sessionId,
    memberId: userId,
    role,
  });
  return c.json({ member: presentMember(row) }, 200);
};
