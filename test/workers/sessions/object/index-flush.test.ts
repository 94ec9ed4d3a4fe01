import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { append, createSession, expectOk, indexRow, type SessionStubT } from "./helpers.ts";

const alarmAt = (stub: SessionStubT) => runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
const stats = async (stub: SessionStubT) => expectOk(await stub.getIndexStats());

describe("the D1 session index", () => {
  it("costs no D1 write per message: appends only arm the alarm, which flushes them together", async () => {
    const { id, stub, ownerId } = await createSession();
    const before = Date.now();
    for (let n = 0; n < 50; n++) await append(stub, ownerId, `m${n}`);
    expect(await indexRow(id)).toMatchObject({ message_count: 0, index_version: 0 });
    expect(await stats(stub)).toMatchObject({ d1Writes: 0, flushPending: true, version: 50, flushedVersion: 0 });
    // Coalesced: the alarm is a few seconds out, not one per append.
    expect(await alarmAt(stub)).toBeGreaterThanOrEqual(before + 4_000);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const row = await indexRow(id);
    expect(row).toMatchObject({ message_count: 50, open_task_count: 0, index_version: 50 });
    const last = expectOk(await stub.getRecentMessages({ limit: 1 })).messages[0];
    expect(row?.last_message_at).toBe(Date.parse(last?.createdAt ?? ""));
    expect(await stats(stub)).toMatchObject({ d1Writes: 1, flushPending: false, flushedVersion: 50 });
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });

  it("carries title, open tasks and activity, and skips D1 when nothing changed", async () => {
    const { id, stub, ownerId } = await createSession({ title: "Before" });
    expectOk(await stub.setSessionMeta({ title: "After" }));
    const task = expectOk(await stub.createTask({ title: "Open", createdBy: ownerId }));
    expectOk(await stub.createTask({ title: "Also open", createdBy: ownerId }));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await indexRow(id)).toMatchObject({
      title: "After",
      open_task_count: 2,
      message_count: 0,
      last_message_at: null,
    });
    expectOk(await stub.updateTask(task.id, { status: "completed" }));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await indexRow(id)).toMatchObject({ open_task_count: 1 });
    const { d1Writes } = await stats(stub);
    expect(expectOk(await stub.flushIndexNow()).d1Writes).toBe(d1Writes);
  });

  it("never lets a stale flush overwrite a newer row, nor revives a deleted one", async () => {
    const { id, stub, ownerId } = await createSession();
    await append(stub, ownerId, "one");
    await env.DB.prepare("UPDATE sessions SET index_version = 1000, message_count = 77 WHERE id = ?").bind(id).run();
    expectOk(await stub.flushIndexNow());
    expect(await indexRow(id)).toMatchObject({ index_version: 1000, message_count: 77 });

    await env.DB.prepare("DELETE FROM sessions WHERE id = ?").bind(id).run();
    await append(stub, ownerId, "two");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await indexRow(id)).toBeNull();
  });

  it("queues concurrent flushes into one D1 write", async () => {
    const { stub, ownerId } = await createSession();
    await append(stub, ownerId, "one");
    const results = await Promise.all([stub.flushIndexNow(), stub.flushIndexNow(), stub.flushIndexNow()]);
    expect(results.map((result) => expectOk(result).d1Writes)).toEqual([1, 1, 1]);
  });

  it("keeps at most 1 D1 write per 1,000 messages appended within one flush interval", async () => {
    const { id, stub, ownerId } = await createSession();
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, n) => stub.appendMessage({ authorId: ownerId, content: `${n}` })),
      );
    }
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stats(stub)).toMatchObject({ d1Writes: 1, version: 1_000 });
    expect(await indexRow(id)).toMatchObject({ message_count: 1_000 });
  }, 60_000);

  it("survives eviction: the alarm and its bookkeeping are durable", async () => {
    const { id, stub, ownerId } = await createSession();
    await append(stub, ownerId, "before eviction");
    const armed = await alarmAt(stub);
    await evictDurableObject(stub);
    await append(stub, ownerId, "after eviction");
    // The woken object knew an alarm was already pending and did not push it back.
    expect(await alarmAt(stub)).toBe(armed);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await indexRow(id)).toMatchObject({ message_count: 2, index_version: 2 });
    await evictDurableObject(stub);
    expect(await stats(stub)).toMatchObject({ d1Writes: 1, flushedVersion: 2, flushPending: false });
  });

  it("re-arms a lost alarm on wake when changes were never flushed", async () => {
    const { id, stub, ownerId } = await createSession();
    await append(stub, ownerId, "unflushed");
    await runInDurableObject(stub, (_instance, state) => state.storage.deleteAlarm());
    await evictDurableObject(stub);
    expect(await stats(stub)).toMatchObject({ flushPending: true, version: 1, flushedVersion: 0 });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await indexRow(id)).toMatchObject({ message_count: 1 });
  });
});
