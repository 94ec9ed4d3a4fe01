import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionStub } from "../../../../src/sessions/api/session-stub.ts";
import { PING_FRAME, PONG_FRAME } from "../../../../src/sessions/protocol.ts";
import { bearer, postJson, signUpUser, type TestUser } from "../../helpers/auth.ts";
import { clientFor, createSession } from "../../helpers/client.ts";
import { connect, settle } from "../../helpers/sockets.ts";

async function post(user: TestUser, sessionId: string, content: string) {
  const res = await postJson(`/v1/sessions/${sessionId}/messages`, { content }, bearer(user.token));
  if (res.status !== 201) throw new Error(`append failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { message: { seq: number } }).message;
}

async function ownerWithSession() {
  const user = await signUpUser();
  const session = await createSession(clientFor(user));
  return { user, sessionId: session.id };
}

describe("fan-out", () => {
  it("delivers HTTP-created messages to every socket, in seq order", async () => {
    const { user, sessionId } = await ownerWithSession();
    const a = await connect(user, sessionId);
    const b = await connect(user, sessionId);
    for (const content of ["one", "two", "three"]) await post(user, sessionId, content);
    for (const socket of [a, b]) {
      const seqs = [];
      for (let i = 0; i < 3; i++) seqs.push((await socket.next("message.created")).message.seq);
      expect(seqs).toEqual([1, 2, 3]);
    }
  });

  it("applies socket writes with HTTP's rules and echoes the sender's ref only to the sender", async () => {
    const { user, sessionId } = await ownerWithSession();
    const a = await connect(user, sessionId);
    const b = await connect(user, sessionId);
    a.send({ v: 1, type: "message.create", ref: "r1", content: "hi", idempotencyKey: "k1" });
    expect(await a.next("message.created")).toMatchObject({ ref: "r1", message: { seq: 1, content: "hi" } });
    const seen = await b.next("message.created");
    expect(seen.message.seq).toBe(1);
    expect(seen.ref).toBeUndefined();

    a.send({ v: 1, type: "message.create", ref: "r2", content: "hi", idempotencyKey: "k1" });
    a.send({ v: 1, type: "message.create", ref: "r3", content: "other", idempotencyKey: "k1" });
    expect(await a.next("error")).toMatchObject({ code: "idempotency_conflict", ref: "r3" });

    a.send({ v: 1, type: "task.create", ref: "t1", title: "Write tests" });
    const created = await b.next("task.created");
    a.send({ v: 1, type: "task.update", taskId: created.task.id, status: "completed" });
    expect((await b.next("task.updated")).task.status).toBe("completed");
    a.send({ v: 1, type: "task.delete", taskId: created.task.id });
    expect((await b.next("task.deleted")).taskId).toBe(created.task.id);
  });

  it("announces session updates", async () => {
    const { user, sessionId } = await ownerWithSession();
    const socket = await connect(user, sessionId);
    await clientFor(user).v1.sessions[":id"].$patch({ param: { id: sessionId }, json: { title: "Renamed" } });
    expect((await socket.next("session.updated")).session.title).toBe("Renamed");
  });

  it("answers the heartbeat", async () => {
    const { user, sessionId } = await ownerWithSession();
    const socket = await connect(user, sessionId);
    socket.send(PING_FRAME);
    await socket.next("pong");
    expect(PONG_FRAME).toBe('{"v":1,"type":"pong"}');
  });

  it("keeps sockets through eviction (hibernation): they still send and receive", async () => {
    const { user, sessionId } = await ownerWithSession();
    const socket = await connect(user, sessionId);
    await post(user, sessionId, "before");
    await socket.next("message.created");
    await evictDurableObject(sessionStub(env, sessionId), { webSockets: "hibernate" });
    await post(user, sessionId, "after");
    expect((await socket.next("message.created")).message).toMatchObject({ seq: 2, content: "after" });
    socket.send({ v: 1, type: "message.create", content: "from the socket" });
    expect((await socket.next("message.created")).message).toMatchObject({ seq: 3, authorId: user.id });
  });
});

describe("resume", () => {
  it("replays after since, then goes live, with no gap and no duplicate under concurrent writes", async () => {
    const { user, sessionId } = await ownerWithSession();
    for (let i = 0; i < 30; i++) await post(user, sessionId, `m${i}`);
    const concurrent = Array.from({ length: 30 }, (_, i) => post(user, sessionId, `c${i}`));
    const socket = await connect(user, sessionId, 10);
    await Promise.all(concurrent);
    await settle(100);
    const seqs = socket.frames.flatMap((frame) => (frame.type === "message.created" ? [frame.message.seq] : []));
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    const done = socket.frames.findIndex((frame) => frame.type === "replay.done");
    expect(done).toBeGreaterThan(0);
  });
});

describe("session deletion", () => {
  it("tells every socket and closes it with 4004", async () => {
    const { user, sessionId } = await ownerWithSession();
    const sockets = [await connect(user, sessionId), await connect(user, sessionId)];
    const res = await clientFor(user).v1.sessions[":id"].$delete({ param: { id: sessionId } });
    expect(res.status).toBe(204);
    for (const socket of sockets) {
      await socket.next("session.deleted");
      expect((await socket.closed).code).toBe(4004);
    }
  });
});
