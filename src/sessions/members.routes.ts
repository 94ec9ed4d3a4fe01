// Route definitions for sharing a session: add, list and remove members.
import { createRoute, type z } from "@hono/zod-openapi";
import { BEARER } from "../auth/auth.routes.ts";
import { errorResponses } from "../http/error-schema.ts";
import { AddMemberBody, MemberEnvelope, MemberList, MemberParams, SessionIdParam } from "./schemas.ts";

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const tags = ["members"];

export const addMemberRoute = createRoute({
  method: "post",
  path: "/sessions/{id}/members",
  tags,
  summary: "Share the session with a user by email, as editor or viewer (owner)",
  security: BEARER,
  request: { params: SessionIdParam, body: { content: json(AddMemberBody), required: true } },
  responses: {
    201: { description: "Added", content: json(MemberEnvelope) },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
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
    200: { description: "All members", content: json(MemberList) },
    ...errorResponses(401, 404),
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
    ...errorResponses(401, 403, 404, 409),
  },
});
