// The session's WebSockets, held by SessionDO through the Hibernation API: accept with resume,
// validate every frame before it changes anything, enforce limits, and fan out committed changes.

import type { RealtimeLimits } from "../../config/realtime-limits.ts";
import { errorResponse } from "../../errors/body.ts";
import type { ErrorCode } from "../../errors/catalogue.ts";
import { utf8Fits } from "../../shared/text.ts";
import type { MessagePage, Role, SessionInfo } from "../model.ts";
import {
  CLOSE_CODES,
  type ClientFrame,
  encodeServerFrame,
  parseClientFrame,
  type ServerFrameBody,
} from "../protocol.ts";
import { closeCredentialEnded, hasExpired } from "./access-guard.ts";
import { type Attachment, readAttachment, type SocketPrincipal } from "./attachment.ts";
import type { ChangeEvent } from "./changes.ts";
import { closeWith, errorFrame, meta, safeSend, toFrame } from "./frames.ts";
import type { Result } from "./result.ts";
import { socketLimitRefusal } from "./socket-limits.ts";

/** The session operations a socket may drive; the object implements them (same rules as HTTP). */
export interface SessionOps {
  getSessionMeta(): Result<SessionInfo>;
  listMessages(query: { after?: number; limit?: number }): Result<MessagePage>;
  appendMessage(input: {
    content: string;
    role?: string;
    metadata?: Record<string, unknown>;
    authorId: string;
    idempotencyKey?: string;
  }): Result<unknown>;
  createTask(input: { title: string; status?: string; createdBy: string }): Result<unknown>;
  updateTask(taskId: string, patch: { title?: string; status?: string; position?: number }): Result<unknown>;
  deleteTask(taskId: string): Result<unknown>;
}

interface Bucket {
  tokens: number;
  at: number;
}

const WRITES: ReadonlySet<ClientFrame["type"]> = new Set([
  "message.create",
  "task.create",
  "task.update",
  "task.delete",
]);

export class SocketHub {
  private readonly ctx: DurableObjectState;
  private readonly limits: RealtimeLimits;
  private readonly ops: SessionOps;
  private readonly pageSize: number;
  /** Rate buckets live in memory: a socket that hibernated was idle, so a fresh bucket is right. */
  private readonly buckets = new WeakMap<WebSocket, Bucket>();
  /** The socket whose frame caused the change being broadcast, to echo its `ref`. */
  private origin: { ws: WebSocket; ref: string } | null = null;

  constructor(ctx: DurableObjectState, limits: RealtimeLimits, ops: SessionOps, pageSize: number) {
    this.ctx = ctx;
    this.limits = limits;
    this.ops = ops;
    this.pageSize = pageSize;
  }

  /**
   * Accepts a socket for a member whose role D1 has just confirmed. Hello, the replay after `since`
   * and the switch to live events happen in one synchronous turn, so no change can land in between:
   * no gap, no duplicate at the seam. Returns the attachment when the socket stays open.
   */
  accept(
    principal: SocketPrincipal,
    role: Role,
    since: number | undefined,
  ): { response: Response; opened: Attachment | null } {
    const session = this.ops.getSessionMeta();
    if (!session.ok) {
      return { response: errorResponse(session.error.code, session.error), opened: null };
    }
    const { 0: client, 1: server } = new WebSocketPair();
    const open = this.ctx.getWebSockets().map(readAttachment);
    const refusal = socketLimitRefusal(open, principal.userId, role, this.limits);
    this.ctx.acceptWebSocket(server);
    const attachment: Attachment = { ...principal, role };
    server.serializeAttachment(attachment);
    const response = new Response(null, { status: 101, webSocket: client });
    if (refusal) {
      this.reject(server, CLOSE_CODES.policy, refusal.code, refusal.message);
      return { response, opened: null };
    }
    const { lastSeq } = session.value;
    server.send(encodeServerFrame({ type: "hello", session: meta(session.value), role, lastSeq }));
    if (since !== undefined) {
      this.replay(server, since);
      server.send(encodeServerFrame({ type: "replay.done", lastSeq }));
    }
    return { response, opened: attachment };
  }

  private replay(ws: WebSocket, since: number): void {
    let after = since;
    for (;;) {
      const page = this.ops.listMessages({ after, limit: this.pageSize });
      if (!page.ok) return;
      for (const message of page.value.messages) ws.send(encodeServerFrame({ type: "message.created", message }));
      const last = page.value.messages.at(-1);
      if (!page.value.hasMore || !last) return;
      after = last.seq;
    }
  }

  onMessage(ws: WebSocket, raw: string | ArrayBuffer): void {
    const attachment = readAttachment(ws);
    // Exact even if the expiry alarm has not run yet: an expired credential speaks no more.
    if (hasExpired(attachment, Date.now())) {
      closeCredentialEnded(ws);
      return;
    }
    const fits =
      typeof raw === "string"
        ? utf8Fits(raw, this.limits.maxFrameBytes).fits
        : raw.byteLength <= this.limits.maxFrameBytes;
    if (!fits) {
      this.reject(
        ws,
        CLOSE_CODES.tooLarge,
        "frame_too_large",
        `Frames are limited to ${this.limits.maxFrameBytes} bytes.`,
      );
      return;
    }
    if (!this.take(ws)) {
      const rate = this.limits.messagesPerSecond;
      this.reject(ws, CLOSE_CODES.policy, "rate_limited", `More than ${rate} frames per second.`);
      return;
    }
    const parsed = parseClientFrame(raw);
    if (!parsed.ok) {
      this.sendError(ws, parsed.code, parsed.message, parsed.details);
      return;
    }
    const frame = parsed.frame;
    const { userId, role } = attachment;
    if (frame.type === "ping") {
      ws.send(encodeServerFrame({ type: "pong" }));
      return;
    }
    if (WRITES.has(frame.type) && role === "viewer") {
      this.sendError(ws, "forbidden", "Viewers can read this session but not change it.", undefined, frame.ref);
      return;
    }
    this.origin = frame.ref === undefined ? null : { ws, ref: frame.ref };
    try {
      const result = this.dispatch(frame, userId);
      if (!result.ok) this.sendError(ws, result.error.code, result.error.message, result.error.details, frame.ref);
    } finally {
      this.origin = null;
    }
  }

  private dispatch(frame: Exclude<ClientFrame, { type: "ping" }>, userId: string): Result<unknown> {
    switch (frame.type) {
      case "message.create":
        return this.ops.appendMessage({
          content: frame.content,
          role: frame.role,
          metadata: frame.metadata,
          idempotencyKey: frame.idempotencyKey,
          authorId: userId,
        });
      case "task.create":
        return this.ops.createTask({ title: frame.title, status: frame.status, createdBy: userId });
      case "task.update":
        return this.ops.updateTask(frame.taskId, {
          title: frame.title,
          status: frame.status,
          position: frame.position,
        });
      case "task.delete":
        return this.ops.deleteTask(frame.taskId);
    }
  }

  /** Called for every committed change, in commit order, before any reply leaves the object. */
  broadcast(event: ChangeEvent): void {
    const sockets = this.ctx.getWebSockets();
    if (event.type === "session.destroyed") {
      const frame = encodeServerFrame({ type: "session.deleted" });
      for (const ws of sockets) {
        safeSend(ws, frame);
        ws.close(CLOSE_CODES.sessionDeleted, "session deleted");
      }
      return;
    }
    if (sockets.length === 0) return;
    const frame = encodeServerFrame(toFrame(event));
    const origin = this.origin;
    for (const ws of sockets) {
      safeSend(
        ws,
        origin?.ws === ws ? encodeServerFrame({ ...toFrame(event), ref: origin.ref } as ServerFrameBody) : frame,
      );
    }
  }

  onClose(ws: WebSocket, code: number): void {
    this.buckets.delete(ws);
    // Completes the closing handshake; 1005/1006 are reserved and cannot be sent back.
    if (code !== 1005 && code !== 1006) ws.close(code, "closing");
  }

  private take(ws: WebSocket): boolean {
    const now = Date.now();
    const rate = this.limits.messagesPerSecond;
    const bucket = this.buckets.get(ws) ?? { tokens: rate * 2, at: now };
    bucket.tokens = Math.min(rate * 2, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(ws, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private sendError(ws: WebSocket, code: ErrorCode, message?: string, details?: unknown, ref?: string): void {
    safeSend(ws, errorFrame(code, { message, details, ref }));
  }

  private reject(ws: WebSocket, closeCode: number, code: ErrorCode, message?: string): void {
    closeWith(ws, closeCode, code, message);
  }
}

export type { Role };
