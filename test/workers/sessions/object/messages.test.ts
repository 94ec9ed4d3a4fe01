import { describe, expect, it } from "vitest";
import { append, createSession, expectError, expectOk } from "./helpers.ts";

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
