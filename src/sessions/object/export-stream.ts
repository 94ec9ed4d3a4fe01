// exportSession's body: NDJSON streamed a page at a time, so a large session never sits in memory whole.
import type { SessionStore } from "./session-store.ts";

export const EXPORT_FORMAT = 1;

/**
 * Line 1 is `{"type":"session","format":1,"session":…}`, then one `{"type":"task",…}` line per
 * task, then one `{"type":"message",…}` line per message in seq order. Messages stop at the last
 * seq seen when the export began, so the export is one consistent snapshot; later appends are
 * left out rather than half in.
 */
export function exportStream(store: SessionStore, pageSize: number, isOpen: () => boolean): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const session = store.info();
  const tasks = store.tasks.list();
  const lines = (items: object[]) => encoder.encode(items.map((item) => `${JSON.stringify(item)}\n`).join(""));
  let after = 0;
  let headerSent = false;

  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      if (!isOpen()) {
        controller.error(new Error("The session was destroyed during the export."));
        return;
      }
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(
          lines([
            { type: "session", format: EXPORT_FORMAT, session },
            ...tasks.map((task) => ({ type: "task", task })),
          ]),
        );
        return;
      }
      const { messages } = store.messages.page({ after, before: session.lastSeq + 1, limit: pageSize });
      const lastMessage = messages.at(-1);
      if (!lastMessage) {
        controller.close();
        return;
      }
      after = lastMessage.seq;
      controller.enqueue(lines(messages.map((message) => ({ type: "message", message }))));
    },
  });
}
