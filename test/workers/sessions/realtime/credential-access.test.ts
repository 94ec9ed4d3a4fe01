// Sockets follow credentials: logout and key deletion close the sockets opened with that credential at
// once; the object's periodic D1 re-check (the shared alarm) is the backstop for every other way a
// credential or membership can end; an expiring credential's socket closes at its expiry.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionStub } from "../../../../src/sessions/api/session-stub.ts";
import type { Attachment } from "../../../../src/sessions/object/attachment.ts";
import { buildUpgrade } from "../../../../src/sessions/object/upgrade.ts";
import { CLOSE_CODES } from "../../../../src/sessions/protocol.ts";
import { bearer, call, postJson, signUpUser, type TestUser } from "../../helpers/auth.ts";
import { clientFor, createSession } from "../../helpers/client.ts";
import { refusalOf } from "../../helpers/refusals.ts";
import { connect, settle, share, type TestSocket, upgrade, wrap } from "../../helpers/sockets.ts";

const RECHECK_MS = Number(env.WS_ACCESS_RECHECK_SECONDS) * 1000;

async function sharedSession() {
  const owner = await signUpUser();
  const member = await signUpUser();
  const { id } = await createSession(clientFor(owner));
  await share(owner, id, member, "editor");
  return { owner, member, sessionId: id };
}

/** A second login of the same user: another credential. */
async function login(user: TestUser): Promise<string> {
  const res = await postJson("/v1/auth/login", { email: user.email, password: user.password });
  return ((await res.json()) as { token: string }).token;
}

async function apiKey(user: TestUser, body: object = { name: "bot" }) {
  const res = await postJson("/v1/api-keys", body, bearer(user.token));
  return (await res.json()) as { id: string; key: string };
}

const bearerSocket = async (token: string, sessionId: string) => {
  const socket = wrap(await upgrade(`/v1/sessions/${sessionId}/ws`, bearer(token)));
  await socket.next("hello");
  return socket;
};

async function closedWith(socket: TestSocket, closeCode: number, code: string) {
  expect((await socket.closed).code).toBe(closeCode);
  expect(socket.frames.some((frame) => frame.type === "error" && frame.code === code)).toBe(true);
}

const stub = (sessionId: string) => sessionStub(env, sessionId);
const alarmAt = (sessionId: string) => runInDurableObject(stub(sessionId), (_, state) => state.storage.getAlarm());

describe("revoking a credential closes the sockets opened with it, at once", () => {
  it("logout: the token's ticket socket closes with 4401; the same user's other login stays", async () => {
    const { member, sessionId } = await sharedSession();
    const loggedOut = await connect(member, sessionId);
    const otherToken = await login(member);
    const other = await bearerSocket(otherToken, sessionId);
    expect((await call("/v1/auth/logout", { method: "POST", headers: bearer(member.token) })).status).toBe(204);
    await closedWith(loggedOut, 4401, "credential_revoked");
    await settle();
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("API-key deletion: the key's socket closes with 4401, in every session it was open in", async () => {
    const { owner, member, sessionId } = await sharedSession();
    const second = await createSession(clientFor(member));
    const { id, key } = await apiKey(member);
    const sockets = [await bearerSocket(key, sessionId), await bearerSocket(key, second.id)];
    const login = await connect(member, sessionId);
    const res = await call(`/v1/api-keys/${id}`, { method: "DELETE", headers: bearer(member.token) });
    expect(res.status).toBe(204);
    for (const socket of sockets) await closedWith(socket, 4401, "credential_revoked");
    expect(login.ws.readyState).toBe(WebSocket.OPEN);
    expect(owner.id).not.toBe(member.id);
  });

  it("a ticket issued before logout opens nothing", async () => {
    const { member, sessionId } = await sharedSession();
    const res = await postJson(`/v1/sessions/${sessionId}/ws-ticket`, undefined, bearer(member.token));
    const { ticket } = (await res.json()) as { ticket: string };
    expect((await call("/v1/auth/logout", { method: "POST", headers: bearer(member.token) })).status).toBe(204);
    // The object's 401 reaches a browser as a socket closed with 4401 after the error frame.
    const refused = await refusalOf(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`));
    expect(refused.closeCode).toBe(CLOSE_CODES.credentialRevoked);
    expect(refused.error).toMatchObject({ code: "credential_revoked" });
  });
});

describe("the periodic re-check (the backstop for any other path)", () => {
  it("is armed while sockets are open, within the re-check interval", async () => {
    const { member, sessionId } = await sharedSession();
    const before = Date.now();
    await connect(member, sessionId);
    const at = await alarmAt(sessionId);
    expect(at).not.toBeNull();
    expect(at as number).toBeLessThanOrEqual(Date.now() + RECHECK_MS);
    expect(at as number).toBeGreaterThanOrEqual(before);
  });

  it("closes sockets whose credential was revoked, or whose membership ended, straight in D1", async () => {
    const { owner, member, sessionId } = await sharedSession();
    const viewer = await signUpUser();
    await share(owner, sessionId, viewer, "viewer");
    const revoked = await connect(member, sessionId);
    const removed = await connect(viewer, sessionId);
    const untouched = await bearerSocket(owner.token, sessionId);

    // Changes made behind the Worker's back (another tool, a future route): no push reaches the object.
    await env.DB.prepare("UPDATE credentials SET revoked_at = ? WHERE user_id = ?").bind(Date.now(), member.id).run();
    await env.DB.prepare("DELETE FROM session_members WHERE session_id = ? AND user_id = ?")
      .bind(sessionId, viewer.id)
      .run();
    await settle();
    expect(revoked.ws.readyState).toBe(WebSocket.OPEN); // nothing happened yet: only the alarm finds out

    expect(await runDurableObjectAlarm(stub(sessionId))).toBe(true);
    await closedWith(revoked, 4401, "credential_revoked");
    await closedWith(removed, 4403, "access_revoked");
    expect(untouched.ws.readyState).toBe(WebSocket.OPEN);
    // Still a socket open: the next re-check is armed.
    expect(await alarmAt(sessionId)).not.toBeNull();
  });

  it("re-roles sockets whose role changed in D1", async () => {
    const { member, sessionId } = await sharedSession();
    const socket = await connect(member, sessionId);
    await env.DB.prepare("UPDATE session_members SET role = 'viewer' WHERE session_id = ? AND user_id = ?")
      .bind(sessionId, member.id)
      .run();
    await runDurableObjectAlarm(stub(sessionId));
    expect(await socket.next("access.changed")).toMatchObject({ role: "viewer" });
    socket.send({ v: 1, type: "task.create", ref: "x", title: "nope" });
    expect(await socket.next("error")).toMatchObject({ code: "forbidden", ref: "x" });
  });

  it("closes everything when the session's index row is marked deleted", async () => {
    const { owner, sessionId } = await sharedSession();
    const socket = await connect(owner, sessionId);
    await env.DB.prepare("UPDATE sessions SET deleted_at = ? WHERE id = ?").bind(Date.now(), sessionId).run();
    await runDurableObjectAlarm(stub(sessionId));
    expect((await socket.closed).code).toBe(4403);
  });

  it("stops re-arming once the last socket is gone", async () => {
    const { owner, sessionId } = await sharedSession();
    const socket = await connect(owner, sessionId);
    socket.ws.close(1000);
    await socket.closed;
    await settle();
    await runDurableObjectAlarm(stub(sessionId));
    expect(await alarmAt(sessionId)).toBeNull();
  });
});

describe("credential expiry", () => {
  async function expiringSocket(member: TestUser, sessionId: string, inMs: number) {
    const { id } = await apiKey(member, { name: "short", expiresInDays: 1 });
    const expiresAt = Date.now() + inMs;
    const principal = { userId: member.id, credentialId: id, expiresAt };
    const socket = wrap(await stub(sessionId).fetch(buildUpgrade({ principal }, undefined)));
    await socket.next("hello");
    return { socket, expiresAt, credentialId: id };
  }

  it("closes a socket at its credential's expiry: the alarm is set for that moment", async () => {
    const { member, sessionId } = await sharedSession();
    const { socket, expiresAt, credentialId } = await expiringSocket(member, sessionId, 1500);
    expect(await alarmAt(sessionId)).toBe(expiresAt);
    const attachments = await runInDurableObject(stub(sessionId), (_, state) =>
      state.getWebSockets().map((ws) => ws.deserializeAttachment() as Attachment),
    );
    expect(attachments).toEqual([{ userId: member.id, credentialId, expiresAt, role: "editor" }]);
    // Nobody runs the alarm here: the runtime does, at the expiry.
    await closedWith(socket, 4401, "credential_revoked");
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
  });

  it("refuses a frame after expiry even before the alarm has run", async () => {
    const { member, sessionId } = await sharedSession();
    const { socket } = await expiringSocket(member, sessionId, 60_000);
    await runInDurableObject(stub(sessionId), (_, state) => {
      for (const ws of state.getWebSockets()) {
        ws.serializeAttachment({ ...(ws.deserializeAttachment() as Attachment), expiresAt: Date.now() - 1 });
      }
    });
    socket.send({ v: 1, type: "message.create", content: "too late" });
    await closedWith(socket, 4401, "credential_revoked");
    expect(unwrapSeq(await stub(sessionId).getSessionMeta())).toBe(0);
  });
});

describe("one alarm, shared with the index flush", () => {
  it("the earliest due time wins, whoever asks first", async () => {
    const { owner, sessionId } = await sharedSession();
    const flushMs = Number(env.SESSION_INDEX_FLUSH_MS);
    expect(flushMs).toBeLessThan(RECHECK_MS);
    await connect(owner, sessionId);
    const start = Date.now();
    const post = await postJson(`/v1/sessions/${sessionId}/messages`, { content: "x" }, bearer(owner.token));
    expect(post.status).toBe(201);
    // The flush asked for an earlier wake than the re-check: it moved the alarm forward.
    expect(await alarmAt(sessionId)).toBeLessThanOrEqual(Date.now() + flushMs);
    await runDurableObjectAlarm(stub(sessionId));
    const stats = await stub(sessionId).getIndexStats();
    expect(stats.ok && stats.value.flushedVersion === stats.value.version).toBe(true);
    // The re-check re-armed for the open socket, no later than one interval on.
    const next = await alarmAt(sessionId);
    expect(next).not.toBeNull();
    expect(next as number).toBeGreaterThan(start);
    expect(next as number).toBeLessThanOrEqual(Date.now() + RECHECK_MS);
  });
});

function unwrapSeq(result: Awaited<ReturnType<ReturnType<typeof stub>["getSessionMeta"]>>): number {
  if (!result.ok) throw new Error(result.error.code);
  return result.value.lastSeq;
}
