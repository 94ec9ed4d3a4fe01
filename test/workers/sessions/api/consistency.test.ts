// D1 and the Durable Object stay consistent: a create or delete interrupted half-way is repaired or
// completed by the next call, rejected input leaves nothing behind, and nothing deleted comes back.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionStub } from "../../../../src/sessions/api/session-stub.ts";
import { createSession, userWithClient } from "../../helpers/client.ts";
import { config } from "../../helpers/config.ts";
import { appendMessages, objectExists, randomSessionId, share } from "./helpers.ts";

/** What createSession's first step writes: the index row and the owner's membership, no object yet. */
async function insertIndexOnly(ownerId: string, title: string) {
  const id = randomSessionId();
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO sessions (id, owner_id, title, created_at, updated_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).bind(id, ownerId, title, now, now, now),
    env.DB.prepare(
      "INSERT INTO session_members (session_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)",
    ).bind(id, ownerId, now),
  ]);
  return id;
}

const rowCount = async (table: "sessions" | "session_members", column: string, value: string) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`).bind(value).first<{ n: number }>())
    ?.n;

const tombstone = (id: string) =>
  env.DB.prepare("UPDATE sessions SET deleted_at = ? WHERE id = ?").bind(Date.now(), id).run();

async function objectIsEmpty(id: string) {
  const result = await sessionStub(env, id).getSessionMeta();
  return !result.ok && result.error.code === "session_not_found";
}

describe("an interrupted create", () => {
  it("is repaired by the owner's next call: the object is initialised from the index row", async () => {
    const { user, api } = await userWithClient();
    const id = await insertIndexOnly(user.id, "Half made");
    expect(await objectExists(id)).toBe(false);

    const res = await api.v1.sessions[":id"].$get({ param: { id } });
    if (res.status !== 200) expect.unreachable(`GET returned ${res.status}: ${await res.text()}`);
    expect((await res.json()).session).toMatchObject({
      id,
      title: "Half made",
      ownerId: user.id,
      role: "owner",
      messageCount: 0,
    });
    expect(await objectIsEmpty(id)).toBe(false);
    const [message] = await appendMessages(api, id, ["works now"]);
    expect(message?.seq).toBe(1);
  });

  it("is repaired by whichever route a member calls first", async () => {
    const owner = await userWithClient("Owner");
    const editor = await userWithClient("Editor");
    const id = await insertIndexOnly(owner.user.id, "Half made");
    await share(owner.api, id, editor.user, "editor");

    const [message] = await appendMessages(editor.api, id, ["first words"]);
    expect(message).toMatchObject({ seq: 1, authorId: editor.user.id });
    const res = await owner.api.v1.sessions[":id"].messages.$get({ param: { id }, query: {} });
    if (res.status !== 200) expect.unreachable(`list returned ${res.status}`);
    expect((await res.json()).items.map((m) => m.content)).toEqual(["first words"]);
  });

  it("can still be deleted by its owner, leaving no row", async () => {
    const { user, api } = await userWithClient();
    const id = await insertIndexOnly(user.id, "Never used");
    expect((await api.v1.sessions[":id"].$delete({ param: { id } })).status).toBe(204);
    expect(await rowCount("sessions", "id", id)).toBe(0);
    expect(await objectIsEmpty(id)).toBe(true);
  });
});

describe("a rejected create", () => {
  it("leaves no index row when the object refuses the input", async () => {
    const { user, api } = await userWithClient();
    const tooBig = await api.v1.sessions.$post({
      json: { title: "Big", metadata: { blob: "x".repeat(config.SESSION_MAX_METADATA_BYTES) } },
    });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ error: { code: "metadata_too_large" } });
    // Past the configured title length: the object's check, after the index row was written.
    const longTitle = await api.v1.sessions.$post({ json: { title: "t".repeat(config.SESSION_MAX_TITLE_LENGTH + 1) } });
    expect(longTitle.status).toBe(422);

    expect(await rowCount("sessions", "owner_id", user.id)).toBe(0);
    expect(await rowCount("session_members", "user_id", user.id)).toBe(0);
  });
});

describe("an interrupted delete", () => {
  it("hides the session from everyone at once; the owner's retry completes it", async () => {
    const owner = await userWithClient("Owner");
    const viewer = await userWithClient("Viewer");
    const { id } = await createSession(owner.api, { title: "Going" });
    await appendMessages(owner.api, id, ["last words"]);
    await share(owner.api, id, viewer.user, "viewer");
    // Step 1 of a delete (the tombstone) happened; erasing the object and the row did not.
    await tombstone(id);

    expect((await viewer.api.v1.sessions[":id"].$get({ param: { id } })).status).toBe(404);
    expect((await viewer.api.v1.sessions[":id"].$delete({ param: { id } })).status).toBe(404);
    for (const api of [owner.api, viewer.api]) {
      const list = await api.v1.sessions.$get({ query: {} });
      if (list.status !== 200) expect.unreachable(`list returned ${list.status}`);
      expect((await list.json()).items).toEqual([]);
    }
    expect(await objectIsEmpty(id)).toBe(false);

    expect((await owner.api.v1.sessions[":id"].$delete({ param: { id } })).status).toBe(204);
    expect(await rowCount("sessions", "id", id)).toBe(0);
    expect(await rowCount("session_members", "session_id", id)).toBe(0);
    expect(await objectIsEmpty(id)).toBe(true);
    expect((await owner.api.v1.sessions[":id"].$delete({ param: { id } })).status).toBe(404);
    expect((await owner.api.v1.sessions[":id"].$get({ param: { id } })).status).toBe(404);
  });

  it("is completed by the owner's retry after the object was already erased", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api, { title: "Half gone" });
    await tombstone(id);
    const erased = await sessionStub(env, id).destroySession();
    expect(erased.ok).toBe(true);

    expect((await api.v1.sessions[":id"].$get({ param: { id } })).status).toBe(404);
    expect(await objectIsEmpty(id)).toBe(true);
    expect((await api.v1.sessions[":id"].$delete({ param: { id } })).status).toBe(204);
    expect(await rowCount("sessions", "id", id)).toBe(0);
  });
});

describe("a session deleted through another isolate", () => {
  it("is not brought back by a member whose access is still cached here", async () => {
    const owner = await userWithClient("Owner");
    const editor = await userWithClient("Editor");
    const { id } = await createSession(owner.api, { title: "Gone elsewhere" });
    await share(owner.api, id, editor.user, "editor");
    // The editor's access is now cached in this isolate for up to 10 s.
    expect((await editor.api.v1.sessions[":id"].$get({ param: { id } })).status).toBe(200);

    // Another isolate runs the whole delete; this isolate's cache never hears of it.
    await tombstone(id);
    expect((await sessionStub(env, id).destroySession()).ok).toBe(true);
    await env.DB.prepare("DELETE FROM sessions WHERE id = ?").bind(id).run();

    const append = await editor.api.v1.sessions[":id"].messages.$post({
      param: { id },
      header: {},
      json: { content: "anyone there?" },
    });
    expect(append.status).toBe(404);
    expect(await objectIsEmpty(id)).toBe(true);
    expect((await editor.api.v1.sessions[":id"].$get({ param: { id } })).status).toBe(404);
  });
});

describe("a session created through this isolate", () => {
  it("takes its owner's first message on the verdict the create cached, without a membership read", async () => {
    const owner = await userWithClient("Owner");
    const { id } = await createSession(owner.api, { title: "Fresh" });
    // As if another isolate had removed the owner's membership: a read of D1 would now answer 404.
    // Within the cache's lifetime this isolate still serves what it wrote itself (access.ts).
    await env.DB.prepare("DELETE FROM session_members WHERE session_id = ?").bind(id).run();
    const [message] = await appendMessages(owner.api, id, ["first"]);
    expect(message?.seq).toBe(1);
  });
});
