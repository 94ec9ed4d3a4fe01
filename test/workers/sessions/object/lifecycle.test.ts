import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ChangeEvent, ChangeFeed } from "../../../../src/sessions/object/changes.ts";
import {
  append,
  createSession,
  createUser,
  expectError,
  expectOk,
  inSession,
  newId,
  type SessionStubT,
  stubFor,
} from "./helpers.ts";

const storedTables = (stub: SessionStubT) =>
  runInDurableObject(stub, (_instance, state) => state.storage.sql.exec("SELECT name FROM sqlite_master").toArray());
const alarmAt = (stub: SessionStubT) => runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());

/** Every method but initSession, with valid input. */
const everyCall = (stub: SessionStubT) => [
  stub.getSessionMeta(),
  stub.setSessionMeta({ title: "x" }),
  stub.appendMessage({ authorId: "usr_x", content: "x" }),
  stub.getRecentMessages(),
  stub.listMessages({ after: 0 }),
  stub.createTask({ title: "x", createdBy: "usr_x" }),
  stub.updateTask("task", { status: "completed" }),
  stub.deleteTask("task"),
  stub.listTasks(),
  stub.exportSession(),
  stub.getIndexStats(),
  stub.flushIndexNow(),
  stub.destroySession(),
];

async function expectEmptyObject(stub: SessionStubT) {
  for (const result of await Promise.all(everyCall(stub))) expectError(result, "session_not_found", 404);
  expect(await storedTables(stub)).toEqual([]);
  expect(await alarmAt(stub)).toBeNull();
  expect(await runDurableObjectAlarm(stub)).toBe(false);
}

describe("initSession", () => {
  it("is idempotent for the same id and owner, and a conflict otherwise", async () => {
    const { id, ownerId, stub } = await createSession({ title: "Mine" });
    const again = expectOk(await stub.initSession({ id, ownerId, title: "Ignored" }));
    expect(again).toMatchObject({ created: false, session: { id, ownerId, title: "Mine", messageCount: 0 } });
    expectError(await stub.initSession({ id, ownerId: await createUser() }), "session_conflict", 409);
  });

  it("refuses an id other than the object's name, oversized metadata or a long title, writing nothing", async () => {
    const id = newId("ses");
    const stub = stubFor(id);
    const ownerId = newId("usr");
    expectError(await stub.initSession({ id: newId("ses"), ownerId }), "validation_failed", 422);
    expectError(await stub.initSession({ id, ownerId, metadata: { x: "y".repeat(9_000) } }), "metadata_too_large", 413);
    expectError(await stub.initSession({ id, ownerId, title: "t".repeat(201) }), "validation_failed", 422);
    await expectEmptyObject(stub);
  });
});

describe("an object that was never initialised", () => {
  it("answers session_not_found everywhere and stays empty, even after a wake", async () => {
    const stub = stubFor(newId("ses"));
    await expectEmptyObject(stub);
    await evictDurableObject(stub);
    await expectEmptyObject(stub);
  });
});

describe("eviction", () => {
  it("loses nothing: meta, messages, keys, tasks and counters come back from storage", async () => {
    const { stub, ownerId } = await createSession({ title: "Durable" });
    expectOk(await stub.setSessionMeta({ metadata: { project: "template" } }));
    for (let n = 1; n <= 30; n++) await append(stub, ownerId, `m${n}`, { idempotencyKey: `k${n}` });
    const task = expectOk(await stub.createTask({ title: "Survive", createdBy: ownerId }));
    expectOk(await stub.updateTask(task.id, { status: "in_progress" }));
    const read = async () => ({
      meta: expectOk(await stub.getSessionMeta()),
      messages: expectOk(await stub.listMessages({ limit: 200 })),
      tasks: expectOk(await stub.listTasks()),
    });
    const before = await read();
    await evictDurableObject(stub);
    expect(await read()).toEqual(before);
    expect(before.meta).toMatchObject({ messageCount: 30, openTaskCount: 1, metadata: { project: "template" } });
    const replay = expectOk(await stub.appendMessage({ authorId: ownerId, content: "m7", idempotencyKey: "k7" }));
    expect(replay).toEqual({ created: false, message: before.messages.messages[6] });
    expect((await append(stub, ownerId, "next")).message.seq).toBe(31);
  });
});

describe("exportSession", () => {
  it("streams the session, its tasks and every message in order, as of the moment it began", async () => {
    const { stub, ownerId } = await createSession({ title: "Export me" });
    for (let batch = 0; batch < 5; batch++) {
      await Promise.all(Array.from({ length: 90 }, () => stub.appendMessage({ authorId: ownerId, content: "m" })));
    }
    const task = expectOk(await stub.createTask({ title: "Listed", createdBy: ownerId }));
    const stream = expectOk(await stub.exportSession());
    await append(stub, ownerId, "after the export began");

    const lines = (await new Response(stream).text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ type: "session", format: 1, session: { title: "Export me", messageCount: 450 } });
    expect(lines[1]).toEqual({ type: "task", task });
    const messages = lines.slice(2);
    expect(messages.every((line) => line.type === "message")).toBe(true);
    expect(messages.map((line) => line.message.seq)).toEqual(Array.from({ length: 450 }, (_, n) => n + 1));
  });
});

describe("destroySession", () => {
  it("deletes every row and the alarm, and the object stays empty when called again", async () => {
    const { id, stub, ownerId } = await createSession();
    await append(stub, ownerId, "soon gone", { idempotencyKey: "k" });
    expectOk(await stub.createTask({ title: "Also gone", createdBy: ownerId }));
    expect(await alarmAt(stub)).not.toBeNull();

    expect(expectOk(await stub.destroySession())).toEqual({ id });
    await expectEmptyObject(stub);
    await evictDurableObject(stub);
    await expectEmptyObject(stub);
  });
});

describe("change events", () => {
  it("announce each committed mutation once, in order, and nothing for replays or failures", async () => {
    const { id, stub, ownerId } = await createSession();
    const events = await inSession(stub, async (instance) => {
      const seen: ChangeEvent[] = [];
      (instance as unknown as { changes: ChangeFeed }).changes.subscribe((event) => seen.push(event));
      instance.setSessionMeta({ title: "Renamed" });
      instance.appendMessage({ authorId: ownerId, content: "hi", idempotencyKey: "once" });
      instance.appendMessage({ authorId: ownerId, content: "hi", idempotencyKey: "once" });
      instance.appendMessage({ authorId: ownerId, content: "x".repeat(40_000) });
      const task = expectOk(instance.createTask({ title: "Do", createdBy: ownerId }));
      instance.updateTask(task.id, { status: "completed" });
      instance.updateTask("missing", { status: "completed" });
      instance.deleteTask(task.id);
      await instance.destroySession();
      return seen;
    });
    expect(events.map((event) => event.type)).toEqual([
      "session.updated",
      "message.created",
      "task.created",
      "task.updated",
      "task.deleted",
      "session.destroyed",
    ]);
    expect(events[1]).toMatchObject({ message: { seq: 1, content: "hi" } });
    expect(events.at(-1)).toEqual({ type: "session.destroyed", sessionId: id });
  });
});
