import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MessageStore } from "../../../src/session/message-store.ts";
import { Sql } from "../../../src/session/sql.ts";
import { append, createSession, expectError, expectOk, type SessionStubT } from "./helpers.ts";

const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((message) => message.seq);

async function sessionWith(count: number) {
  const session = await createSession();
  for (let n = 1; n <= count; n++) await append(session.stub, session.ownerId, `m${n}`);
  return session;
}

describe("appendMessage", () => {
  it("returns the stored message with a random id, the next seq and an ISO timestamp", async () => {
    const { stub, ownerId } = await createSession();
    const first = await append(stub, ownerId, "hello", { role: "assistant", metadata: { model: "x", n: [1, 2] } });
    expect(first.created).toBe(true);
    expect(first.message).toMatchObject({
      seq: 1,
      role: "assistant",
      content: "hello",
      metadata: { model: "x", n: [1, 2] },
      authorId: ownerId,
    });
    expect(first.message.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(first.message.createdAt).toISOString()).toBe(first.message.createdAt);
    const second = await append(stub, ownerId, "again");
    expect(second.message).toMatchObject({ seq: 2, role: "user", metadata: {} });
    expect(second.message.id).not.toBe(first.message.id);
    expect(expectOk(await stub.listMessages({ limit: 5 })).messages).toEqual([first.message, second.message]);
  });

  it("gives 200 concurrent appends exactly the seqs 1..200", async () => {
    const { stub, ownerId } = await createSession();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, n) => stub.appendMessage({ authorId: ownerId, content: `c${n}` })),
    );
    const messages = results.map((result) => expectOk(result).message);
    expect(messages.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, n) => n + 1));
    expect(new Set(messages.map((m) => m.id)).size).toBe(200);
    expect(expectOk(await stub.getSessionMeta())).toMatchObject({ messageCount: 200, lastSeq: 200 });
  });
});

describe("idempotency keys", () => {
  it("replays the original for the same key and body, even with metadata keys in another order", async () => {
    const { stub, ownerId } = await createSession();
    const body = { authorId: ownerId, content: "once", metadata: { a: 1, b: { c: 2, d: 3 } }, idempotencyKey: "k-1" };
    const original = expectOk(await stub.appendMessage(body));
    const retry = expectOk(await stub.appendMessage(body));
    const reordered = expectOk(await stub.appendMessage({ ...body, metadata: { b: { d: 3, c: 2 }, a: 1 } }));
    expect(original.created).toBe(true);
    expect(retry).toEqual({ created: false, message: original.message });
    expect(reordered).toEqual({ created: false, message: original.message });
    expect(expectOk(await stub.getSessionMeta()).messageCount).toBe(1);
  });

  it("answers idempotency_conflict for the same key with another body and keeps the original", async () => {
    const { stub, ownerId } = await createSession();
    const original = await append(stub, ownerId, "first", { idempotencyKey: "k-2", metadata: { v: 1 } });
    for (const other of [
      { content: "changed" },
      { role: "system" as const },
      { metadata: { v: 2 } },
      { metadata: {} },
    ]) {
      const result = await stub.appendMessage({
        authorId: ownerId,
        content: "first",
        metadata: { v: 1 },
        idempotencyKey: "k-2",
        ...other,
      });
      const error = expectError(result, "idempotency_conflict", 409);
      expect(error.details).toEqual({ messageId: original.message.id, seq: 1 });
    }
    expect(expectOk(await stub.getRecentMessages()).messages).toEqual([original.message]);
  });

  it("scopes keys to their author and settles concurrent retries on one message", async () => {
    const { stub, ownerId } = await createSession();
    const mine = await append(stub, ownerId, "same", { idempotencyKey: "shared" });
    const theirs = await append(stub, "usr_other", "same", { idempotencyKey: "shared" });
    expect(theirs.created).toBe(true);
    expect(theirs.message.seq).toBe(mine.message.seq + 1);

    const retries = await Promise.all(
      Array.from({ length: 20 }, () =>
        stub.appendMessage({ authorId: ownerId, content: "burst", idempotencyKey: "burst" }),
      ),
    );
    const values = retries.map((result) => expectOk(result));
    expect(values.filter((value) => value.created)).toHaveLength(1);
    expect(new Set(values.map((value) => value.message.id)).size).toBe(1);
  });
});

describe("limits and validation", () => {
  it("counts content in UTF-8 bytes against the limit", async () => {
    const { stub, ownerId } = await createSession();
    expect((await append(stub, ownerId, "a".repeat(32_768))).created).toBe(true);
    expect((await append(stub, ownerId, "é".repeat(16_384))).created).toBe(true);
    const ascii = expectError(
      await stub.appendMessage({ authorId: ownerId, content: "a".repeat(32_769) }),
      "content_too_large",
      413,
    );
    expect(ascii.details).toEqual({ limit: 32_768, size: 32_769 });
    expectError(await stub.appendMessage({ authorId: ownerId, content: "é".repeat(16_385) }), "content_too_large", 413);
    expectError(await stub.appendMessage({ authorId: ownerId, content: "😀".repeat(8_193) }), "content_too_large", 413);
    const big = { blob: "x".repeat(8_192) };
    expectError(await stub.appendMessage({ authorId: ownerId, content: "", metadata: big }), "metadata_too_large", 413);
    expect(expectOk(await stub.getSessionMeta()).lastSeq).toBe(2);
  });

  it("rejects malformed input with field details and writes nothing", async () => {
    const { stub, ownerId } = await createSession();
    const bad: [unknown, string][] = [
      [{ authorId: ownerId, content: "x", role: "robot" }, "role"],
      [{ content: "x" }, "authorId"],
      [{ authorId: ownerId, content: 42 }, "content"],
      [{ authorId: ownerId, content: "x", idempotencyKey: "has space" }, "idempotencyKey"],
      [{ authorId: ownerId, content: "x", metadata: ["not", "an", "object"] }, "metadata"],
      [{ authorId: ownerId, content: "x", metadata: { when: new Date() } }, "metadata.when"],
      [{ authorId: ownerId, content: "x", extra: true }, ""],
    ];
    for (const [input, path] of bad) {
      const error = expectError(await stub.appendMessage(input as never), "validation_failed", 422);
      expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    }
    expect(expectOk(await stub.getSessionMeta()).lastSeq).toBe(0);
  });
});

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
