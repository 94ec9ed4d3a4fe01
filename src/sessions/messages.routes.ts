// Route definitions for a session's messages: append (idempotent with a key) and page through.
import { createRoute } from "@hono/zod-openapi";
import { BEARER } from "../auth/auth.routes.ts";
import { jsonContent } from "../http/openapi.ts";
import { sessionErrors } from "./error-responses.ts";
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
    ...sessionErrors([400, 401, 403, 404, 409, 413, 415, 422], {
      403: "Your role cannot write (`forbidden`), or only the owner may post this message role (`message_role_forbidden`)",
      409: "The Idempotency-Key was used for a different message (`idempotency_conflict`; `details` has its messageId and seq)",
      413: "Body larger than MAX_BODY_BYTES (`payload_too_large`), content over SESSION_MAX_CONTENT_BYTES (`content_too_large`) or metadata over SESSION_MAX_METADATA_BYTES (`metadata_too_large`)",
    }),
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
    200: { description: "A page of messages, oldest first", content: jsonContent(MessageList) },
    ...sessionErrors([400, 401, 404, 422], {
      422: "Validation failed, or more than one of after, before, latest=true and cursor (`validation_failed`)",
    }),
  },
});
