// Change events: every durable mutation of a session is announced here, once, in commit order.
import type { Message, SessionMeta, Task } from "../model.ts";

export type ChangeEvent =
  | { type: "message.created"; message: Message }
  | { type: "task.created"; task: Task }
  | { type: "task.updated"; task: Task }
  | { type: "task.deleted"; taskId: string }
  | { type: "session.updated"; session: SessionMeta }
  | { type: "session.destroyed"; sessionId: string };

export type ChangeListener = (event: ChangeEvent) => void;

/**
 * Listeners run synchronously right after the SQL write, before the caller gets its reply. The
 * Durable Object's output gate holds every outgoing message (RPC replies and WebSocket frames
 * alike) until that write is durable, so a broadcaster plugged in here never announces a change
 * that could still be lost, and sees changes in exactly the order they were committed.
 */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: ChangeEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
