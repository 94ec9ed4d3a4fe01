// Route definitions for sessions themselves: create, list, read, update, delete, export.
import { createRoute, z } from "@hono/zod-openapi";
import { BEARER } from "../auth/auth.routes.ts";
import { jsonContent } from "../http/openapi.ts";
import { METADATA_413, sessionErrors } from "./error-responses.ts";
import {
  CreateSessionBody,
  ListSessionsQuery,
  PatchSessionBody,
  SessionEnvelope,
  SessionIdParam,
  SessionList,
} from "./schemas.ts";

const tags = ["sessions"];

export const createSessionRoute = createRoute({
  method: "post",
  path: "/sessions",
  tags,
  summary: "Create a session; you are its owner",
  security: BEARER,
  request: { body: { content: jsonContent(CreateSessionBody), required: true } },
  responses: {
    201: { description: "Created", content: jsonContent(SessionEnvelope) },
    ...sessionErrors([400, 401, 409, 413, 415, 422], {
      409: "You already own QUOTA_SESSIONS_PER_USER live sessions (`session_limit`)",
      413: METADATA_413,
    }),
  },
});

export const listSessionsRoute = createRoute({
  method: "get",
  path: "/sessions",
  tags,
  summary: "Your own and shared sessions, most recent activity first",
  security: BEARER,
  request: { query: ListSessionsQuery },
  responses: {
    200: { description: "A page of sessions", content: jsonContent(SessionList) },
    ...sessionErrors([400, 401, 422]),
  },
});

export const getSessionRoute = createRoute({
  method: "get",
  path: "/sessions/{id}",
  tags,
  summary: "A session: metadata, counts and your role",
  security: BEARER,
  request: { params: SessionIdParam },
  responses: {
    200: { description: "The session", content: jsonContent(SessionEnvelope) },
    ...sessionErrors([401, 404]),
  },
});

export const patchSessionRoute = createRoute({
  method: "patch",
  path: "/sessions/{id}",
  tags,
  summary: "Change the title or metadata (owner or editor)",
  security: BEARER,
  request: { params: SessionIdParam, body: { content: jsonContent(PatchSessionBody), required: true } },
  responses: {
    200: { description: "The updated session", content: jsonContent(SessionEnvelope) },
    ...sessionErrors([400, 401, 403, 404, 413, 415, 422], { 413: METADATA_413 }),
  },
});

export const deleteSessionRoute = createRoute({
  method: "delete",
  path: "/sessions/{id}",
  tags,
  summary: "Delete the session and all its data (owner); open WebSockets close with code 4004",
  security: BEARER,
  request: { params: SessionIdParam },
  responses: {
    204: { description: "Deleted" },
    ...sessionErrors([401, 403, 404], { 403: "Only the owner can delete a session (`forbidden`)" }),
  },
});

export const exportSessionRoute = createRoute({
  method: "get",
  path: "/sessions/{id}/export",
  tags,
  summary: "The whole session as NDJSON: a session line, then its tasks, then its messages in seq order",
  security: BEARER,
  request: { params: SessionIdParam },
  responses: {
    200: {
      description: "Streamed, one JSON object per line (`type`: `session`, `task` or `message`)",
      content: { "application/x-ndjson": { schema: z.string() } },
    },
    ...sessionErrors([401, 404]),
  },
});
