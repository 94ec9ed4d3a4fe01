// Change events as server frames: what a socket receives for each committed change.
import type { ChangeEvent } from "../session/changes.ts";
import type { SessionInfo } from "../session/types.ts";
import { encodeServerFrame, type ServerFrameBody } from "./protocol.ts";

/** The session fields a `hello` carries (counts change too often to be worth sending). */
export function meta(info: SessionInfo) {
  const { id, ownerId, title, metadata, createdAt, updatedAt } = info;
  return { id, ownerId, title, metadata, createdAt, updatedAt };
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
      return { type: event.type, session: event.session };
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

/** An error frame saying why, then the close: a client learns the reason even where it cannot read close reasons. */
export function closeWith(ws: WebSocket, closeCode: number, code: string, message: string): void {
  safeSend(ws, encodeServerFrame({ type: "error", code, message }));
  try {
    ws.close(closeCode, message.slice(0, 120));
  } catch {
    // already closing
  }
}
