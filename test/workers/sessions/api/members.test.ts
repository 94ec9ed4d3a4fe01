// Sharing and roles: the owner manages members, editors write messages and tasks, viewers only read.
import { describe, expect, it } from "vitest";
import type { Client } from "../../helpers/client.ts";
import { createSession, userWithClient } from "../../helpers/client.ts";
import { appendMessages, share, sharedSession } from "./helpers.ts";

/** One call per route that changes something, each with a valid body. */
function writes(api: Client, id: string, taskId: string, otherUserId: string) {
  const session = api.v1.sessions[":id"];
  const task = session.tasks[":taskId"];
  return {
    "PATCH session": () => session.$patch({ param: { id }, json: { title: "mine now" } }),
    "POST message": () => session.messages.$post({ param: { id }, header: {}, json: { content: "hi" } }),
    "POST task": () => session.tasks.$post({ param: { id }, json: { title: "t" } }),
    "PATCH task": () => task.$patch({ param: { id, taskId }, json: { status: "completed" } }),
    "DELETE task": () => task.$delete({ param: { id, taskId } }),
    "POST member": () => session.members.$post({ param: { id }, json: { email: "x@example.com", role: "viewer" } }),
    "DELETE member": () => session.members[":userId"].$delete({ param: { id, userId: otherUserId } }),
    "DELETE session": () => session.$delete({ param: { id } }),
  };
}

function reads(api: Client, id: string) {
  const session = api.v1.sessions[":id"];
  return {
    "GET session": () => session.$get({ param: { id } }),
    "GET messages": () => session.messages.$get({ param: { id }, query: {} }),
    "GET tasks": () => session.tasks.$get({ param: { id }, query: {} }),
    "GET members": () => session.members.$get({ param: { id } }),
    "GET export": () => session.export.$get({ param: { id } }),
  };
}

async function taskIn(api: Client, id: string) {
  const res = await api.v1.sessions[":id"].tasks.$post({ param: { id }, json: { title: "shared task" } });
  if (res.status !== 201) expect.unreachable(`create task returned ${res.status}`);
  return (await res.json()).task;
}

async function status(call: () => Promise<{ status: number }>) {
  return (await call()).status;
}

describe("sharing a session", () => {
  it("adds a member by email (any case) with their role; they see it in their list and GET", async () => {
    const owner = await userWithClient("Owner");
    const editor = await userWithClient("Editor");
    const { id } = await createSession(owner.api, { title: "Shared" });
    const res = await owner.api.v1.sessions[":id"].members.$post({
      param: { id },
      json: { email: editor.user.email.toUpperCase(), role: "editor" },
    });
    if (res.status !== 201) expect.unreachable(`share returned ${res.status}`);
    expect((await res.json()).member).toEqual({
      userId: editor.user.id,
      email: editor.user.email,
      name: "Editor",
      role: "editor",
      addedAt: expect.any(String),
    });

    const got = await editor.api.v1.sessions[":id"].$get({ param: { id } });
    if (got.status !== 200) expect.unreachable(`GET returned ${got.status}`);
    expect((await got.json()).session).toMatchObject({ id, role: "editor", ownerId: owner.user.id });

    const list = await editor.api.v1.sessions.$get({ query: {} });
    if (list.status !== 200) expect.unreachable(`list returned ${list.status}`);
    expect((await list.json()).items).toEqual([expect.objectContaining({ id, role: "editor", title: "Shared" })]);
  });

  it("lists members, the owner included, for every member", async () => {
    const { owner, member, id } = await sharedSession("viewer");
    const res = await member.api.v1.sessions[":id"].members.$get({ param: { id } });
    if (res.status !== 200) expect.unreachable(`members returned ${res.status}`);
    const body = await res.json();
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((m) => [m.userId, m.role])).toEqual([
      [owner.user.id, "owner"],
      [member.user.id, "viewer"],
    ]);
  });

  it("answers 404 for an unknown email and 409 for someone already in the session", async () => {
    const { owner, member, id } = await sharedSession("viewer");
    const add = (email: string, role: "editor" | "viewer") =>
      owner.api.v1.sessions[":id"].members.$post({ param: { id }, json: { email, role } });

    const unknown = await add(`nobody-${crypto.randomUUID()}@example.com`, "viewer");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
    const duplicate = await add(member.user.email, "editor");
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ error: { code: "already_member" } });
    const self = await add(owner.user.email, "editor");
    expect(self.status).toBe(409);

    const res = await owner.api.v1.sessions[":id"].members.$get({ param: { id } });
    if (res.status !== 200) expect.unreachable(`members returned ${res.status}`);
    expect((await res.json()).items.map((m) => m.role)).toEqual(["owner", "viewer"]);
  });
});

describe("roles", () => {
  it("lets a viewer read everything and write nothing: 403 on every write route, nothing changed", async () => {
    const { owner, member, id } = await sharedSession("viewer");
    await appendMessages(owner.api, id, ["from the owner"]);
    const task = await taskIn(owner.api, id);

    for (const [route, read] of Object.entries(reads(member.api, id))) {
      expect(await status(read), route).toBe(200);
    }
    for (const [route, write] of Object.entries(writes(member.api, id, task.id, owner.user.id))) {
      const res = await write();
      expect(res.status, route).toBe(403);
      expect(await res.json(), route).toMatchObject({ error: { code: "forbidden" } });
    }

    const got = await owner.api.v1.sessions[":id"].$get({ param: { id } });
    if (got.status !== 200) expect.unreachable(`GET returned ${got.status}`);
    expect((await got.json()).session).toMatchObject({
      title: "Shared with a viewer",
      messageCount: 1,
      openTaskCount: 1,
    });
  });

  it("lets an editor write messages, tasks and the title, but not manage members or delete", async () => {
    const { owner, member, id } = await sharedSession("editor");
    const bystander = await userWithClient("Bystander");
    await share(owner.api, id, bystander.user, "viewer");
    const task = await taskIn(owner.api, id);
    const api = member.api;
    const allowed = writes(api, id, task.id, bystander.user.id);

    const [message] = await appendMessages(api, id, ["from the editor"]);
    expect(message?.authorId).toBe(member.user.id);
    expect(await status(allowed["POST task"])).toBe(201);
    expect(await status(allowed["PATCH task"])).toBe(200);
    expect(await status(allowed["DELETE task"])).toBe(204);
    expect(await status(allowed["PATCH session"])).toBe(200);

    for (const route of ["POST member", "DELETE member", "DELETE session"] as const) {
      expect(await status(allowed[route]), route).toBe(403);
    }
    const members = await owner.api.v1.sessions[":id"].members.$get({ param: { id } });
    if (members.status !== 200) expect.unreachable(`members returned ${members.status}`);
    expect((await members.json()).items).toHaveLength(3);
    expect(await status(() => owner.api.v1.sessions[":id"].$get({ param: { id } }))).toBe(200);
  });

  it("scopes Idempotency-Keys to their author: two members with one key make two messages", async () => {
    const { owner, member, id } = await sharedSession("editor");
    const send = (api: Client) =>
      api.v1.sessions[":id"].messages.$post({
        param: { id },
        header: { "idempotency-key": "same-key" },
        json: { content: "same body" },
      });
    expect((await send(owner.api)).status).toBe(201);
    expect((await send(member.api)).status).toBe(201);
  });
});

describe("leaving and removing", () => {
  it("lets a member leave; they get 404 from then on", async () => {
    const { member, id } = await sharedSession("editor");
    expect(await status(() => member.api.v1.sessions[":id"].$get({ param: { id } }))).toBe(200);
    const leave = await member.api.v1.sessions[":id"].members[":userId"].$delete({
      param: { id, userId: member.user.id },
    });
    expect(leave.status).toBe(204);
    expect(await status(() => member.api.v1.sessions[":id"].$get({ param: { id } }))).toBe(404);
  });

  it("lets the owner remove a member, who gets 404 at once although their access was cached", async () => {
    const { owner, member, id } = await sharedSession("editor");
    // Cached for 10 s; a removal through this isolate must evict it.
    expect(await status(() => member.api.v1.sessions[":id"].$get({ param: { id } }))).toBe(200);
    const remove = () =>
      owner.api.v1.sessions[":id"].members[":userId"].$delete({ param: { id, userId: member.user.id } });
    expect((await remove()).status).toBe(204);

    for (const [route, read] of Object.entries(reads(member.api, id))) expect(await status(read), route).toBe(404);
    const append = await member.api.v1.sessions[":id"].messages.$post({
      param: { id },
      header: {},
      json: { content: "still here?" },
    });
    expect(append.status).toBe(404);
    const list = await member.api.v1.sessions.$get({ query: {} });
    if (list.status !== 200) expect.unreachable(`list returned ${list.status}`);
    expect((await list.json()).items).toEqual([]);
    expect((await remove()).status).toBe(404);
  });

  it("never removes the owner: 409 when they try to leave, 403 for anyone else", async () => {
    const { owner, member, id } = await sharedSession("editor");
    const removeOwner = (api: Client) =>
      api.v1.sessions[":id"].members[":userId"].$delete({ param: { id, userId: owner.user.id } });
    const self = await removeOwner(owner.api);
    expect(self.status).toBe(409);
    expect(await self.json()).toMatchObject({ error: { code: "owner_cannot_leave" } });
    expect((await removeOwner(member.api)).status).toBe(403);
    expect(await status(() => owner.api.v1.sessions[":id"].$get({ param: { id } }))).toBe(200);
  });
});

describe("deleting a shared session", () => {
  it("is for the owner alone, and ends every member's cached access at once", async () => {
    const { owner, member, id } = await sharedSession("editor");
    // Both cached for 10 s; the members list is answered from D1 alone, so only eviction stops it.
    expect(await status(() => member.api.v1.sessions[":id"].members.$get({ param: { id } }))).toBe(200);
    expect(await status(() => owner.api.v1.sessions[":id"].members.$get({ param: { id } }))).toBe(200);
    expect(await status(() => member.api.v1.sessions[":id"].$delete({ param: { id } }))).toBe(403);

    expect(await status(() => owner.api.v1.sessions[":id"].$delete({ param: { id } }))).toBe(204);
    expect(await status(() => member.api.v1.sessions[":id"].members.$get({ param: { id } }))).toBe(404);
    expect(await status(() => owner.api.v1.sessions[":id"].members.$get({ param: { id } }))).toBe(404);
  });
});
