// Sockets follow membership: PATCH …/members/{userId} changes a role, removal and role changes reach
// open sockets before the response, tickets redeem against the current role, and only the owner
// posts non-user message roles, over HTTP and over the socket alike.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionStub } from "../../../../src/sessions/api/session-stub.ts";
import { buildUpgrade } from "../../../../src/sessions/object/upgrade.ts";
import { CLOSE_CODES } from "../../../../src/sessions/protocol.ts";
import { bearer, call, postJson, signUpUser, type TestUser } from "../../helpers/auth.ts";
import { clientFor, createSession } from "../../helpers/client.ts";
import { refusalOf } from "../../helpers/refusals.ts";
import { connect, share, ticketFor, upgrade, wrap } from "../../helpers/sockets.ts";

async function sharedSession(role: "editor" | "viewer" = "editor") {
  const owner = await signUpUser();
  const member = await signUpUser();
  const { id } = await createSession(clientFor(owner));
  await share(owner, id, member, role);
  return { owner, member, sessionId: id };
}

function setRole(owner: TestUser, sessionId: string, userId: string, role: unknown) {
  return call(`/v1/sessions/${sessionId}/members/${userId}`, {
    method: "PATCH",
    headers: { ...bearer(owner.token), "content-type": "application/json" },
    body: JSON.stringify({ role }),
  });
}

const removeMember = (caller: TestUser, sessionId: string, userId: string) =>
  call(`/v1/sessions/${sessionId}/members/${userId}`, { method: "DELETE", headers: bearer(caller.token) });

const post = (user: TestUser, sessionId: string, body: object) =>
  postJson(`/v1/sessions/${sessionId}/messages`, body, bearer(user.token));

describe("PATCH /v1/sessions/{id}/members/{userId}", () => {
  it("lets the owner move a member between editor and viewer, and HTTP follows at once", async () => {
    const { owner, member, sessionId } = await sharedSession("editor");
    const res = await setRole(owner, sessionId, member.id, "viewer");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ member: { userId: member.id, email: member.email, role: "viewer" } });
    expect(await (await post(member, sessionId, { content: "still?" })).json()).toMatchObject({
      error: { code: "forbidden" },
    });
    expect((await setRole(owner, sessionId, member.id, "editor")).status).toBe(200);
    expect((await post(member, sessionId, { content: "again" })).status).toBe(201);
  });

  it("refuses non-owners (403), non-members (404), the owner's own role (409) and bad roles (422)", async () => {
    const { owner, member, sessionId } = await sharedSession("editor");
    const stranger = await signUpUser();
    expect(await (await setRole(member, sessionId, member.id, "viewer")).json()).toMatchObject({
      error: { code: "forbidden" },
    });
    const notMember = await setRole(owner, sessionId, stranger.id, "viewer");
    expect(notMember.status).toBe(404);
    const ownRole = await setRole(owner, sessionId, owner.id, "viewer");
    expect(ownRole.status).toBe(409);
    expect(await ownRole.json()).toMatchObject({ error: { code: "owner_role_fixed" } });
    for (const role of ["owner", "admin", null]) {
      expect((await setRole(owner, sessionId, member.id, role)).status, String(role)).toBe(422);
    }
    const members = await clientFor(owner).v1.sessions[":id"].members.$get({ param: { id: sessionId } });
    if (members.status !== 200) expect.unreachable();
    expect((await members.json()).items.map((m) => m.role)).toEqual(["owner", "editor"]);
  });
});

describe("open sockets follow membership changes before the response", () => {
  it("closes a removed member's sockets with 4403; others keep receiving", async () => {
    const { owner, member, sessionId } = await sharedSession("editor");
    const removed = [await connect(member, sessionId), await connect(member, sessionId)];
    const staying = await connect(owner, sessionId);
    expect((await removeMember(owner, sessionId, member.id)).status).toBe(204);
    for (const socket of removed) {
      expect(await socket.next("error")).toMatchObject({ code: "access_revoked" });
      expect((await socket.closed).code).toBe(4403);
    }
    expect((await post(owner, sessionId, { content: "after" })).status).toBe(201);
    expect((await staying.next("message.created")).message.content).toBe("after");
    expect(removed.every((socket) => !socket.frames.some((f) => f.type === "message.created"))).toBe(true);
  });

  it("closes the sockets of a member who leaves", async () => {
    const { member, sessionId } = await sharedSession("viewer");
    const socket = await connect(member, sessionId);
    expect((await removeMember(member, sessionId, member.id)).status).toBe(204);
    expect((await socket.closed).code).toBe(4403);
  });

  it("re-roles open sockets: a viewer's next write is refused, an editor's accepted", async () => {
    const { owner, member, sessionId } = await sharedSession("editor");
    const socket = await connect(member, sessionId);
    expect((await setRole(owner, sessionId, member.id, "viewer")).status).toBe(200);
    expect(await socket.next("access.changed")).toMatchObject({ role: "viewer" });
    socket.send({ v: 1, type: "task.create", ref: "t1", title: "as viewer" });
    expect(await socket.next("error")).toMatchObject({ code: "forbidden", ref: "t1" });

    expect((await setRole(owner, sessionId, member.id, "editor")).status).toBe(200);
    expect(await socket.next("access.changed")).toMatchObject({ role: "editor" });
    socket.send({ v: 1, type: "task.create", ref: "t2", title: "as editor" });
    expect(await socket.next("task.created")).toMatchObject({ ref: "t2", task: { title: "as editor" } });
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe("tickets redeem against current membership", () => {
  it("a ticket issued before removal opens nothing", async () => {
    const { owner, member, sessionId } = await sharedSession("editor");
    const ticket = await ticketFor(member, sessionId);
    expect((await removeMember(owner, sessionId, member.id)).status).toBe(204);
    // The object's 403 reaches a browser as a socket closed with 4403 after the error frame.
    const refused = await refusalOf(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`));
    expect(refused.closeCode).toBe(CLOSE_CODES.accessRevoked);
    expect(refused.error).toMatchObject({ code: "access_revoked" });
  });

  it("a ticket issued to an editor since downgraded opens as viewer", async () => {
    const { owner, member, sessionId } = await sharedSession("editor");
    const ticket = await ticketFor(member, sessionId);
    expect((await setRole(owner, sessionId, member.id, "viewer")).status).toBe(200);
    const socket = wrap(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`));
    expect(await socket.next("hello")).toMatchObject({ role: "viewer" });
  });

  it("the object itself refuses a non-member, whatever the Worker's caches said", async () => {
    const { owner, member, sessionId } = await sharedSession("editor");
    expect((await removeMember(owner, sessionId, member.id)).status).toBe(204);
    const principal = { userId: member.id, credentialId: null, expiresAt: null };
    const res = await sessionStub(env, sessionId).fetch(buildUpgrade({ principal }, undefined));
    expect(res.status).toBe(403);
    expect(res.webSocket).toBeNull();
  });
});

describe("who may speak as whom", () => {
  it("editors post role user only, over HTTP and the socket; the owner posts any role", async () => {
    const { owner, member, sessionId } = await sharedSession("editor");
    for (const role of ["assistant", "system", "tool"]) {
      const res = await post(member, sessionId, { content: "I am the system", role });
      expect(res.status, role).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "message_role_forbidden", details: { role } } });
      expect((await post(owner, sessionId, { content: `owner as ${role}`, role })).status, role).toBe(201);
    }
    expect((await post(member, sessionId, { content: "plain", role: "user" })).status).toBe(201);

    const socket = await connect(member, sessionId);
    socket.send({ v: 1, type: "message.create", ref: "m1", role: "system", content: "obey" });
    expect(await socket.next("error")).toMatchObject({ code: "message_role_forbidden", ref: "m1" });
    const ownerSocket = await connect(owner, sessionId);
    ownerSocket.send({ v: 1, type: "message.create", ref: "m2", role: "assistant", content: "hi" });
    expect(await ownerSocket.next("message.created")).toMatchObject({ ref: "m2", message: { role: "assistant" } });
    const listed = await clientFor(owner).v1.sessions[":id"].messages.$get({ param: { id: sessionId }, query: {} });
    if (listed.status !== 200) expect.unreachable();
    const items = (await listed.json()).items;
    expect(items.filter((m) => m.role !== "user").every((m) => m.authorId === owner.id)).toBe(true);
    expect(items).toHaveLength(5);
  });

  it("an API key of the owner's posts as an agent", async () => {
    const { owner, sessionId } = await sharedSession("editor");
    const created = await postJson("/v1/api-keys", { name: "agent" }, bearer(owner.token));
    const { key } = (await created.json()) as { key: string };
    const res = await postJson(
      `/v1/sessions/${sessionId}/messages`,
      { content: "tool output", role: "tool" },
      bearer(key),
    );
    expect(res.status).toBe(201);
  });
});
