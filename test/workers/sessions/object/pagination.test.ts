import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MessageStore } from "../../../../src/sessions/object/message-store.ts";
import { Sql } from "../../../../src/shared/sql.ts";
import { append, createSession, expectError, expectOk, type SessionStubT } from "./helpers.ts";

const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((message) => message.seq);

async function sessionWith(count: number) {
  const session = await createSession();
  for (let n = 1; n <= count; n++) await append(session.stub, session.ownerId, `m${n}`);
  return session;
}

describe("pagination", () => {
  it("handles an empty session", async () => {
    const { stub } = await createSession();
    const empty = { messages: [], hasMore: false };
    expect(expectOk(await stub.listMessages())).toEqual(empty);
    expect(expectOk(await stub.listMessages({ after: 0, limit: 5 }))).toEqual(empty);
    expect(expectOk(await stub.listMessages({ before: 1 }))).toEqual(empty);
    expect(expectOk(await stub.getRecentMessages({ limit: 5 }))).toEqual(empty);
  });

  it("pages forward with `after`, exactly up to and past the last seq", async () => {
    const { stub } = await sessionWith(10);
    const page = async (query: object) => expectOk(await stub.listMessages(query));
    expect(await page({ limit: 5 })).toMatchObject({ hasMore: true });
    expect(seqs(await page({ after: 0, limit: 5 }))).toEqual([1, 2, 3, 4, 5]);
    expect(await page({ after: 5, limit: 5 })).toMatchObject({ hasMore: false });
    expect(seqs(await page({ after: 5, limit: 5 }))).toEqual([6, 7, 8, 9, 10]);
    expect(await page({ limit: 10 })).toMatchObject({ hasMore: false });
    expect(await page({ after: 10, limit: 5 })).toEqual({ messages: [], hasMore: false });
    expect(await page({ after: 999, limit: 5 })).toEqual({ messages: [], hasMore: false });
  });

  it("pages backward with `before`, down to and past the first seq", async () => {
    const { stub } = await sessionWith(10);
    const page = async (query: object) => expectOk(await stub.listMessages(query));
    expect(await page({ before: 1, limit: 5 })).toEqual({ messages: [], hasMore: false });
    expect(await page({ before: 0, limit: 5 })).toEqual({ messages: [], hasMore: false });
    const oldest = await page({ before: 6, limit: 5 });
    expect([seqs(oldest), oldest.hasMore]).toEqual([[1, 2, 3, 4, 5], false]);
    const newest = await page({ before: 11, limit: 5 });
    expect([seqs(newest), newest.hasMore]).toEqual([[6, 7, 8, 9, 10], true]);
    expect(seqs(await page({ before: 999, limit: 3 }))).toEqual([8, 9, 10]);
    const window = await page({ after: 2, before: 6, limit: 2 });
    expect([seqs(window), window.hasMore]).toEqual([[3, 4], true]);
    expect(seqs(await page({ after: 2, before: 6, limit: 5 }))).toEqual([3, 4, 5]);
    expect(await page({ after: 6, before: 6, limit: 5 })).toEqual({ messages: [], hasMore: false });
  });

  it("returns recent messages oldest first", async () => {
    const { stub } = await sessionWith(10);
    const recent = expectOk(await stub.getRecentMessages({ limit: 3 }));
    expect([seqs(recent), recent.hasMore]).toEqual([[8, 9, 10], true]);
    const all = expectOk(await stub.getRecentMessages({ limit: 10 }));
    expect([seqs(all), all.hasMore]).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], false]);
  });

  it("caps the page size and rejects bad cursors", async () => {
    const { stub } = await sessionWith(1);
    expect(seqs(expectOk(await stub.listMessages({ limit: 200 })))).toEqual([1]);
    for (const query of [{ limit: 201 }, { limit: 0 }, { after: -1 }, { before: 1.5 }, { after: "1" }]) {
      expectError(await stub.listMessages(query as never), "validation_failed", 422);
    }
    expectError(await stub.getRecentMessages({ limit: 201 }), "validation_failed", 422);
  });

  it("reads O(page) rows from a long history, through the primary key", async () => {
    const { stub } = await createSession();
    await seedMessages(stub, 2_000);
    const rowsRead = await runInDurableObject(stub, (_instance, state) => {
      let read = 0;
      const counting = {
        sql: {
          exec: (...args: Parameters<SqlStorage["exec"]>) => {
            const cursor = state.storage.sql.exec(...args);
            return {
              toArray: () => {
                const rows = cursor.toArray();
                read += cursor.rowsRead;
                return rows;
              },
            };
          },
        },
      } as unknown as DurableObjectStorage;
      const messages = new MessageStore(new Sql(counting));
      const measure = (read_: () => unknown) => {
        read = 0;
        read_();
        return read;
      };
      return [
        measure(() => messages.page({ after: 1_000, limit: 20 })),
        measure(() => messages.page({ before: 1_000, limit: 20 })),
        measure(() => messages.recent(20)),
        measure(() => messages.last()),
      ];
    });
    // A page of 20 reads its 20 rows plus the one that tells whether more exist; a scan would read 2,000.
    expect(rowsRead).toEqual([21, 21, 21, 1]);
  });
});

async function seedMessages(stub: SessionStubT, count: number) {
  await runInDurableObject(stub, (_instance, state) => {
    const sql = new Sql(state.storage);
    sql.transaction(() => {
      for (let n = 0; n < count; n++) {
        sql.run(
          "INSERT INTO messages (id, role, content, author_id, created_at) VALUES (?, 'user', 'seed', 'usr_seed', ?)",
          crypto.randomUUID(),
          Date.now(),
        );
      }
    });
  });
}
