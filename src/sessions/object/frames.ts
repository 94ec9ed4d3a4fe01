// Change events as server frames: what a socket receives for each committed change.
import { errorBody } from "../../errors/body.ts";
import type { ErrorCode } from "../../errors/catalogue.ts";
import { project, type SessionMeta, SessionMetaModel } from "../model.ts";
import { encodeServerFrame, type ServerFrameBody } from "../protocol.ts";
import type { ChangeEvent } from "./changes.ts";

/** The session fields a `hello` carries (counts change too often to be worth sending). */
export function meta(info: SessionMeta): SessionMeta {
  return project(SessionMetaModel, info);
}

export type BroadcastEvent = Exclude<ChangeEvent, { type: "session.destroyed" }>;

export function toFrame(event: BroadcastEvent): ServerFrameBody {
  switch (event.type) {
    case "message.created":
      return { type: event.type, message: event.message };
    case "task.created":
    case "task.updated":
      return { type: event.type, task: event.task };
    case "task.deleted":
      return { type: event.type, taskId: event.taskId };
    case "session.updated":
      // The same fields as `hello`: counts stay out of every frame, not just the first.
      return { type: event.type, session: meta(event.session) };
  }
}

/** A socket that is closing cannot take frames; that must not fail the write that caused them. */
export function safeSend(ws: WebSocket, frame: string): void {
  try {
    ws.send(frame);
  } catch {
    // the client is gone; its close event cleans up
  }
}

/** An `error` frame in the one error model: the catalogue's code, its message unless the sender has a better one. */
export function errorFrame(
  code: ErrorCode,
  { message, details, ref }: { message?: string; details?: unknown; ref?: string } = {},
): string {
  const { error } = errorBody(code, { message, details });
  return encodeServerFrame({ type: "error", ...error, ref });
}

/** An error frame saying why, then the close: a client learns the reason even where it cannot read close reasons. */
export function closeWith(ws: WebSocket, closeCode: number, code: ErrorCode, message?: string): void {
  const frame = errorFrame(code, { message });
  safeSend(ws, frame);
  const reason = message ?? errorBody(code).error.message;
  try {
    ws.close(closeCode, reason.slice(0, 120));
  } catch {
    // already closing
  }
}
