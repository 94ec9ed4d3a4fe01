// Handlers for messages: the append hot path (no D1 round trip once access is cached) and paging.
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env.ts";
import { apiError } from "../../http/errors.ts";
import { authorize } from "./access.ts";
import { decodeSeqCursor, encodeSeqCursor, type SeqCursor } from "./cursors.ts";
import type { appendMessageRoute, listMessagesRoute } from "./messages.routes.ts";
import { callSession } from "./session-call.ts";

export const appendMessage: RouteHandler<typeof appendMessageRoute, AppEnv> = async (c) => {
  const access = await authorize(c, c.req.valid("param").id, "write");
  const { content, role, metadata } = c.req.valid("json");
  const idempotencyKey = c.req.valid("header")["idempotency-key"];
  const { created, message } = await callSession(c, access, (stub) =>
    stub.appendMessage({ content, role, metadata, authorId: access.userId, idempotencyKey }),
  );
  return c.json({ message }, created ? 201 : 200);
};

type Direction = SeqCursor | { latest: true } | { after: 0 };

function direction(query: { after?: number; before?: number; latest?: "true" | "false"; cursor?: string }): Direction {
  const given = [query.after, query.before, query.cursor].filter((v) => v !== undefined).length;
  if (given > 1 || (given === 1 && query.latest === "true")) {
    throw apiError("validation_failed", {
      details: [{ path: "cursor", message: "Use one of after, before, latest=true or cursor.", code: "custom" }],
    });
  }
  if (query.cursor !== undefined) return decodeSeqCursor(query.cursor);
  if (query.after !== undefined) return { after: query.after };
  if (query.before !== undefined) return { before: query.before };
  return query.latest === "true" ? { latest: true } : { after: 0 };
}

export const listMessages: RouteHandler<typeof listMessagesRoute, AppEnv> = async (c) => {
  const access = await authorize(c, c.req.valid("param").id, "read");
  const query = c.req.valid("query");
  const dir = direction(query);
  const { limit } = query;
  const page = await callSession(c, access, (stub) =>
    "latest" in dir ? stub.getRecentMessages({ limit }) : stub.listMessages({ ...dir, limit }),
  );
  const first = page.messages[0];
  const last = page.messages.at(-1);
  // Forward pages continue after their last seq; backward ones (before, latest) before their first.
  let nextCursor: string | null = null;
  if (page.hasMore && first && last) {
    nextCursor = encodeSeqCursor("after" in dir ? { after: last.seq } : { before: first.seq });
  }
  return c.json({ items: page.messages, nextCursor }, 200);
};
