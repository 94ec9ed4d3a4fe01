// Messages as the console shows them: one per seq, in seq order, whatever order pages and live
// frames (and their replays after a reconnect) arrive in.
import type { Message } from "./model.ts";

export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return current as Message[];
  const bySeq = new Map<number, Message>();
  for (const message of current) bySeq.set(message.seq, message);
  for (const message of incoming) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The resume point for the socket: the newest seq the console already holds (0: none yet). */
export const newestSeq = (messages: readonly Message[]) => messages.at(-1)?.seq ?? 0;
