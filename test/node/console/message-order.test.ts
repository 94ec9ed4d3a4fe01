// The console's message log: one entry per seq, in seq order, however pages, live frames and
// replays after a reconnect interleave.
import { describe, expect, it } from "vitest";
import { mergeMessages, newestSeq } from "../../../web/console/message-order.ts";
import type { Message } from "../../../web/console/model.ts";

const message = (seq: number): Message => ({
  id: `msg_${seq}`,
  seq,
  role: "user",
  content: `m${seq}`,
  metadata: {},
  authorId: "u",
  createdAt: "2026-01-01T00:00:00.000Z",
});
const seqs = (messages: Message[]) => messages.map((m) => m.seq);

describe("mergeMessages", () => {
  it("keeps one message per seq when a replay repeats what a page or a post already showed", () => {
    const shown = mergeMessages([message(1), message(2), message(3)], [message(3)]);
    expect(seqs(mergeMessages(shown, [message(2), message(3), message(4)]))).toEqual([1, 2, 3, 4]);
  });

  it("orders by seq whatever the arrival order: an older page, a post ahead of its frame", () => {
    const live = mergeMessages([message(51), message(52)], [message(54)]);
    expect(seqs(mergeMessages(live, [message(53)]))).toEqual([51, 52, 53, 54]);
    expect(seqs(mergeMessages(live, [message(1), message(2)]))).toEqual([1, 2, 51, 52, 54]);
  });

  it("resumes after the newest seq held, or from 0 with none", () => {
    expect(newestSeq([])).toBe(0);
    expect(newestSeq([message(3), message(9)])).toBe(9);
  });
});
