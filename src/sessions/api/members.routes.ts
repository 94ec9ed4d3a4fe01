// Route definitions for sharing a session: add, list, re-role and remove members.
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED, errorResponses, JSON_BODY } from "../../http/error-schema.ts";
import { BEARER, jsonContent } from "../../http/openapi.ts";
import { SESSION_ACCESS } from "./error-responses.ts";
import {
  AddMemberBody,
  ChangeMemberRoleBody,
  MemberEnvelope,
  MemberList,
  MemberParams,
  SessionIdParam,
} from "./schemas.ts";

const tags = ["members"];

export const addMemberRoute = createRoute({
  method: "post",
  path: "/sessions/{id}/members",
  operationId: "addMember",
  tags,
  summary: "Share the session with a user by email, as editor or viewer (owner)",
  security: BEARER,
  request: { params: SessionIdParam, body: { content: jsonContent(AddMemberBody), required: true } },
  responses: {
    201: { description: "Added", content: jsonContent(MemberEnvelope) },
    ...errorResponses(...AUTHENTICATED, ...JSON_BODY, ...SESSION_ACCESS, "already_member", "member_limit"),
  },
});

export const listMembersRoute = createRoute({
  method: "get",
  path: "/sessions/{id}/members",
  operationId: "listMembers",
  tags,
  summary: "Everyone with access, the owner included",
  security: BEARER,
  request: { params: SessionIdParam },
  responses: {
    200: { description: "All members", content: jsonContent(MemberList) },
    ...errorResponses(...AUTHENTICATED, "not_found"),
  },
});

export const changeMemberRoleRoute = createRoute({
  method: "patch",
  path: "/sessions/{id}/members/{userId}",
  operationId: "changeMemberRole",
  tags,
  summary: "Change a member's role between editor and viewer (owner)",
  description:
    "Takes effect at once everywhere: HTTP calls through this isolate immediately (others within the " +
    "membership cache's 10 s), and the member's open WebSockets before this answers (an `access.changed` " +
    "frame; their next frame is judged by the new role).",
  security: BEARER,
  request: { params: MemberParams, body: { content: jsonContent(ChangeMemberRoleBody), required: true } },
  responses: {
    200: { description: "The member with their new role", content: jsonContent(MemberEnvelope) },
    ...errorResponses(...AUTHENTICATED, ...JSON_BODY, ...SESSION_ACCESS, "owner_role_fixed"),
  },
});

export const removeMemberRoute = createRoute({
  method: "delete",
  path: "/sessions/{id}/members/{userId}",
  operationId: "removeMember",
  tags,
  summary: "Remove a member (owner), or leave the session yourself",
  description: "The member's open WebSockets are closed with 4403 (`access_revoked`) before this answers.",
  security: BEARER,
  request: { params: MemberParams },
  responses: {
    204: { description: "Removed" },
    ...errorResponses(...AUTHENTICATED, ...SESSION_ACCESS, "owner_cannot_leave", "validation_failed"),
  },
});
