// Route definitions for a session's messages: append (idempotent with a key) and page through.
import { createRoute, type z } from "@hono/zod-openapi";
import { BEARER } from "../auth/auth.routes.ts";
import { errorResponses } from "../http/error-schema.ts";
import {
  CreateMessageBody,
  IdempotencyHeader,
  ListMessagesQuery,
  MessageEnvelope,
  MessageList,
  SessionIdParam,
} from "./schemas.ts";

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const tags = ["messages"];

export const appendMessageRoute = createRoute({
  method: "post",
  path: "/sessions/{id}/messages",
  tags,
  summary: "Append a message (owner or editor); it gets the next seq",
  security: BEARER,
  request: {
    params: SessionIdParam,
    headers: IdempotencyHeader,
    body: { content: json(CreateMessageBody), required: true },
  },
  responses: {
    201: { description: "Appended", content: json(MessageEnvelope) },
    200: { description: "Replay of an Idempotency-Key: the original message", content: json(MessageEnvelope) },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const listMessagesRoute = createRoute({
  method: "get",
  path: "/sessions/{id}/messages",
  tags,
  summary: "Messages in seq order: from the start, after/before a seq, or the latest page",
  security: BEARER,
  request: { params: SessionIdParam, query: ListMessagesQuery },
  responses: {
    200: { description: "A page of messages, oldest first", content: json(MessageList) },
    ...errorResponses(400, 401, 404, 422),
  },
});
