// Route definitions for a session's messages: append (idempotent with a key) and page through.
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED, errorResponses, JSON_BODY } from "../../http/error-schema.ts";
import { BEARER, jsonContent } from "../../http/openapi.ts";
import { SESSION_ACCESS, SESSION_OBJECT } from "./error-responses.ts";
import {
  CreateMessageBody,
  IdempotencyHeader,
  ListMessagesQuery,
  MessageEnvelope,
  MessageList,
  SessionIdParam,
} from "./schemas.ts";

const tags = ["messages"];

export const appendMessageRoute = createRoute({
  method: "post",
  path: "/sessions/{id}/messages",
  operationId: "appendMessage",
  tags,
  summary: "Append a message (owner or editor); it gets the next seq",
  description:
    "Editors post role `user` only; `assistant`, `system` and `tool` need the session's owner (an agent " +
    "posts with an API key of the owner's). The same rule applies over the WebSocket.",
  security: BEARER,
  request: {
    params: SessionIdParam,
    headers: IdempotencyHeader,
    body: { content: jsonContent(CreateMessageBody), required: true },
  },
  responses: {
    201: { description: "Appended", content: jsonContent(MessageEnvelope) },
    200: { description: "Replay of an Idempotency-Key: the original message", content: jsonContent(MessageEnvelope) },
    ...errorResponses(
      ...AUTHENTICATED,
      ...JSON_BODY,
      ...SESSION_ACCESS,
      ...SESSION_OBJECT,
      "message_role_forbidden",
      "idempotency_conflict",
      "content_too_large",
      "metadata_too_large",
    ),
  },
});

export const listMessagesRoute = createRoute({
  method: "get",
  path: "/sessions/{id}/messages",
  operationId: "listMessages",
  tags,
  summary: "Messages in seq order: from the start, after/before a seq, or the latest page",
  security: BEARER,
  request: { params: SessionIdParam, query: ListMessagesQuery },
  responses: {
    200: { description: "A page of messages, oldest first", content: jsonContent(MessageList) },
    ...errorResponses(...AUTHENTICATED, ...SESSION_ACCESS, ...SESSION_OBJECT, "bad_request", "validation_failed"),
  },
});
