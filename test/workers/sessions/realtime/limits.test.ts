import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionStub, unwrap } from "../../../../src/sessions/api/session-stub.ts";
import { signUpUser, type TestUser } from "../../helpers/auth.ts";
import { clientFor, createSession } from "../../helpers/client.ts";
import { connect, settle, share, ticketFor, upgrade, wrap } from "../../helpers/sockets.ts";

async function ownerWithSession() {
  const user = await signUpUser();
  const session = await createSession(clientFor(user));
  return { user, sessionId: session.id };
}

const lastSeq = async (sessionId: string) => unwrap(await sessionStub(env, sessionId).getSessionMeta()).lastSeq;

describe("frame validation", () => {
  it("answers invalid or unknown frames with an error frame and changes nothing", async () => {
    const { user, sessionId } = await ownerWithSession();
    const socket = await connect(user, sessionId);
    const other = await connect(user, sessionId);
    socket.send("{not json");
    expect(await socket.next("error")).toMatchObject({ code: "invalid_json" });
    socket.send({ v: 1, type: "message.delete", seq: 1 });
    expect(await socket.next("error")).toMatchObject({ code: "invalid_frame" });
    socket.send({ v: 2, type: "message.create", content: "future" });
    expect(await socket.next("error")).toMatchObject({ code: "invalid_frame" });
    socket.send({ v: 1, type: "message.create", content: "x", extra: true });
    expect(await socket.next("error")).toMatchObject({ code: "invalid_frame" });
    await settle();
    expect(await lastSeq(sessionId)).toBe(0);
    expect(other.frames.map((frame) => frame.type)).toEqual(["hello"]);
  });

  it("refuses writes from viewers", async () => {
    const { user, sessionId } = await ownerWithSession();
    const viewer = await signUpUser();
    const shared = await clientFor(user).v1.sessions[":id"].members.$post({
      param: { id: sessionId },
      json: { email: viewer.email, role: "viewer" },
    });
    expect(shared.status).toBe(201);
    const socket = await connect(viewer, sessionId);
    socket.send({ v: 1, type: "message.create", ref: "v1", content: "can I?" });
    expect(await socket.next("error")).toMatchObject({ code: "forbidden", ref: "v1" });
    socket.send({ v: 1, type: "task.create", title: "nope" });
    expect(await socket.next("error")).toMatchObject({ code: "forbidden" });
    expect(await lastSeq(sessionId)).toBe(0);
  });
});

describe("limits", () => {
  it("closes with 1009 on a frame over the size limit", async () => {
    const { user, sessionId } = await ownerWithSession();
    const socket = await connect(user, sessionId);
    socket.send({ v: 1, type: "message.create", content: "x".repeat(70_000) });
    expect(await socket.next("error")).toMatchObject({ code: "frame_too_large" });
    expect((await socket.closed).code).toBe(1009);
    expect(await lastSeq(sessionId)).toBe(0);
  });

  it("closes with 1008 when a connection floods, while others keep receiving", async () => {
    const { user, sessionId } = await ownerWithSession();
    const flooder = await connect(user, sessionId);
    const bystander = await connect(user, sessionId);
    for (let i = 0; i < 100; i++) flooder.send({ v: 1, type: "message.create", content: `flood ${i}` });
    expect((await flooder.closed).code).toBe(1008);
    await settle();
    const accepted = await lastSeq(sessionId);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(100);
    const seqs = bystander.frames.flatMap((frame) => (frame.type === "message.created" ? [frame.message.seq] : []));
    expect(seqs).toEqual(Array.from({ length: accepted }, (_, i) => i + 1));
  });

  it("caps sockets per user (1008 user_socket_limit) and keeps the owner's share free of others", async () => {
    const { user: owner, sessionId } = await ownerWithSession();
    const perSession = Number(env.WS_MAX_SOCKETS_PER_SESSION);
    const perUser = Number(env.WS_MAX_SOCKETS_PER_USER);
    expect([perSession, perUser]).toEqual([4, 2]); // the test config; the arithmetic below relies on it
    const [a, b] = [await signUpUser(), await signUpUser()];
    for (const member of [a, b]) await share(owner, sessionId, member, "editor");
    const refused = async (user: TestUser, code: string) => {
      const extra = wrap(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${await ticketFor(user, sessionId)}`));
      expect(await extra.next("error")).toMatchObject({ code });
      expect((await extra.closed).code).toBe(1008);
      expect(extra.frames.some((frame) => frame.type === "hello")).toBe(false);
    };

    const open = [await connect(a, sessionId), await connect(a, sessionId)];
    await refused(a, "user_socket_limit");
    // Non-owners together get perSession - perUser sockets: a has them all, so b is refused...
    await refused(b, "session_full");
    // ...and the owner still gets in, up to their own cap.
    open.push(await connect(owner, sessionId), await connect(owner, sessionId));
    await refused(owner, "user_socket_limit");
    expect(open.every((socket) => socket.ws.readyState === WebSocket.OPEN)).toBe(true);

    // A closed socket frees its user's slot.
    open[0]?.ws.close(1000);
    await open[0]?.closed;
    const deadline = Date.now() + 5000;
    for (;;) {
      const res = await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${await ticketFor(a, sessionId)}`);
      const socket = wrap(res);
      const first = await Promise.race([socket.next("hello").then(() => "hello"), socket.closed.then(() => "closed")]);
      if (first === "hello") break;
      if (Date.now() > deadline) expect.fail("the freed slot was never given back");
      await settle();
    }
  });

  it("closes with 1008 session_full at the sockets-per-session limit", async () => {
    const { user: owner, sessionId } = await ownerWithSession();
    const members = [await signUpUser(), await signUpUser()];
    for (const member of members) await share(owner, sessionId, member, "viewer");
    const open = [await connect(owner, sessionId), await connect(owner, sessionId)];
    for (const member of members) open.push(await connect(member, sessionId));
    expect(open).toHaveLength(Number(env.WS_MAX_SOCKETS_PER_SESSION));
    const ticket = await ticketFor(members[0] as TestUser, sessionId);
    const extra = wrap(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`));
    expect(await extra.next("error")).toMatchObject({ code: "session_full" });
    expect((await extra.closed).code).toBe(1008);
    expect(open.every((socket) => socket.ws.readyState === WebSocket.OPEN)).toBe(true);
  });
});
