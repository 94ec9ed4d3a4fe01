// Route definitions for sessions themselves: create, list, read, update, delete, export.
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED, errorResponses, JSON_BODY } from "../../http/error-schema.ts";
import { BEARER, jsonContent } from "../../http/openapi.ts";
import { SESSION_ACCESS, SESSION_OBJECT } from "./error-responses.ts";
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
  operationId: "createSession",
  tags,
  summary: "Create a session; you are its owner",
  security: BEARER,
  request: { body: { content: jsonContent(CreateSessionBody), required: true } },
  responses: {
    201: { description: "Created", content: jsonContent(SessionEnvelope) },
    ...errorResponses(...AUTHENTICATED, ...JSON_BODY, "session_limit", "metadata_too_large"),
  },
});

export const listSessionsRoute = createRoute({
  method: "get",
  path: "/sessions",
  operationId: "listSessions",
  tags,
  summary: "Your own and shared sessions, most recent activity first",
  security: BEARER,
  request: { query: ListSessionsQuery },
  responses: {
    200: { description: "A page of sessions", content: jsonContent(SessionList) },
    ...errorResponses(...AUTHENTICATED, "bad_request", "validation_failed"),
  },
});

export const getSessionRoute = createRoute({
  method: "get",
  path: "/sessions/{id}",
  operationId: "getSession",
  tags,
  summary: "A session: metadata, counts and your role",
  security: BEARER,
  request: { params: SessionIdParam },
  responses: {
    200: { description: "The session", content: jsonContent(SessionEnvelope) },
    ...errorResponses(...AUTHENTICATED, ...SESSION_ACCESS, ...SESSION_OBJECT),
  },
});

export const patchSessionRoute = createRoute({
  method: "patch",
  path: "/sessions/{id}",
  operationId: "updateSession",
  tags,
  summary: "Change the title or metadata (owner or editor)",
  security: BEARER,
  request: { params: SessionIdParam, body: { content: jsonContent(PatchSessionBody), required: true } },
  responses: {
    200: { description: "The updated session", content: jsonContent(SessionEnvelope) },
    ...errorResponses(...AUTHENTICATED, ...JSON_BODY, ...SESSION_ACCESS, ...SESSION_OBJECT, "metadata_too_large"),
  },
});

export const deleteSessionRoute = createRoute({
  method: "delete",
  path: "/sessions/{id}",
  operationId: "deleteSession",
  tags,
  summary: "Delete the session and all its data (owner); open WebSockets close with code 4004",
  security: BEARER,
  request: { params: SessionIdParam },
  responses: {
    204: { description: "Deleted" },
    ...errorResponses(...AUTHENTICATED, ...SESSION_ACCESS, ...SESSION_OBJECT),
  },
});

export const exportSessionRoute = createRoute({
  method: "get",
  path: "/sessions/{id}/export",
  operationId: "exportSession",
  tags,
  summary: "The whole session as NDJSON: a session line, then its tasks, then its messages in seq order",
  security: BEARER,
  request: { params: SessionIdParam },
  responses: {
    200: {
      description: "Streamed, one JSON object per line (`type`: `session`, `task` or `message`)",
      content: { "application/x-ndjson": { schema: z.string() } },
    },
    ...errorResponses(...AUTHENTICATED, ...SESSION_ACCESS, ...SESSION_OBJECT),
  },
});
