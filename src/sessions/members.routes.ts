// Route definitions for sharing a session: add, list and remove members.
import { createRoute } from "@hono/zod-openapi";
import { BEARER } from "../auth/auth.routes.ts";
import { jsonContent } from "../http/openapi.ts";
import { sessionErrors } from "./error-responses.ts";
import { AddMemberBody, MemberEnvelope, MemberList, MemberParams, SessionIdParam } from "./schemas.ts";

const tags = ["members"];

export const addMemberRoute = createRoute({
  method: "post",
  path: "/sessions/{id}/members",
  tags,
  summary: "Share the session with a user by email, as editor or viewer (owner)",
  security: BEARER,
  request: { params: SessionIdParam, body: { content: jsonContent(AddMemberBody), required: true } },
  responses: {
    201: { description: "Added", content: jsonContent(MemberEnvelope) },
    ...sessionErrors([400, 401, 403, 404, 409, 413, 415, 422], {
      403: "Only the owner manages members (`forbidden`)",
      404: "No such session, or no user with that email: they sign up first (`not_found`)",
      409: "Already a member (`already_member`), or the session is full (`member_limit`)",
    }),
  },
});

export const listMembersRoute = createRoute({
  method: "get",
  path: "/sessions/{id}/members",
  tags,
  summary: "Everyone with access, the owner included",
  security: BEARER,
  request: { params: SessionIdParam },
  responses: {
    200: { description: "All members", content: jsonContent(MemberList) },
    ...sessionErrors([401, 404]),
  },
});

export const removeMemberRoute = createRoute({
  method: "delete",
  path: "/sessions/{id}/members/{userId}",
  tags,
  summary: "Remove a member (owner), or leave the session yourself",
  security: BEARER,
  request: { params: MemberParams },
  responses: {
    204: { description: "Removed" },
    ...sessionErrors([401, 403, 404, 409], {
      403: "Only the owner removes others (`forbidden`)",
      404: "No such session, or that user is not a member (`not_found`)",
      409: "The owner cannot leave; delete the session instead (`owner_cannot_leave`)",
    }),
  },
});
