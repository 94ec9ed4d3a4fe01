import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionStub, unwrap } from "../../../src/session/index.ts";
import { signUpUser } from "../helpers/auth.ts";
import { clientFor, createSession } from "../helpers/client.ts";
import { connect, settle, ticketFor, upgrade, wrap } from "../helpers/sockets.ts";

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
    const share = await clientFor(user).v1.sessions[":id"].members.$post({
      param: { id: sessionId },
      json: { email: viewer.email, role: "viewer" },
    });
    expect(share.status).toBe(201);
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

  it("closes with 1008 beyond the sockets-per-session limit", async () => {
    const { user, sessionId } = await ownerWithSession();
    const limit = Number(env.WS_MAX_SOCKETS_PER_SESSION);
    const open = [];
    for (let i = 0; i < limit; i++) open.push(await connect(user, sessionId));
    const ticket = await ticketFor(user, sessionId);
    const extra = wrap(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`));
    expect(await extra.next("error")).toMatchObject({ code: "session_full" });
    expect((await extra.closed).code).toBe(1008);
    expect(open.every((socket) => socket.ws.readyState === WebSocket.OPEN)).toBe(true);
  });
});
