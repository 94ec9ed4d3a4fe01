// GET /v1/sessions: the D1 index of the caller's own and shared sessions, most recent activity first.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { bearer, call } from "../../helpers/auth.ts";
import { type Client, createSession, userWithClient } from "../../helpers/client.ts";
import { appendMessages, flushIndex, nextMillisecond, share } from "./helpers.ts";

async function list(api: Client, query: { limit?: string; cursor?: string } = {}) {
  const res = await api.v1.sessions.$get({ query });
  if (res.status !== 200) expect.unreachable(`list returned ${res.status}: ${await res.text()}`);
  return res.json();
}

async function titles(api: Client) {
  return (await list(api)).items.map((s) => s.title);
}

/** Follows nextCursor until it is null; returns the titles of each page. */
async function allPages(api: Client, limit: number) {
  const pages: (string | null)[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await list(api, { limit: String(limit), ...(cursor ? { cursor } : {}) });
    pages.push(page.items.map((s) => s.title));
    if (page.nextCursor === null) return pages;
    if (pages.length > 20) expect.unreachable("nextCursor never became null");
    cursor = page.nextCursor;
  }
}

/** Sessions created one after another, so each has a later activity time than the one before. */
async function createInOrder(api: Client, names: string[]) {
  const sessions = [];
  for (const title of names) {
    await nextMillisecond();
    sessions.push(await createSession(api, { title }));
  }
  return sessions;
}

describe("GET /v1/sessions", () => {
  it("lists the caller's own and shared sessions with their role, newest activity first", async () => {
    const alice = await userWithClient("Alice");
    const bob = await userWithClient("Bob");
    const [a] = await createInOrder(alice.api, ["A", "B"]);
    const [, bobs] = await createInOrder(bob.api, ["Bob's own", "C"]);
    if (!a || !bobs) expect.unreachable("sessions were not created");
    await share(bob.api, bobs.id, alice.user, "viewer");

    const page = await list(alice.api);
    expect(page.items.map((s) => [s.title, s.role])).toEqual([
      ["C", "viewer"],
      ["B", "owner"],
      ["A", "owner"],
    ]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]).toMatchObject({ ownerId: bob.user.id, messageCount: 0, openTaskCount: 0 });

    // A message in A, once the object's alarm has refreshed the index, moves A to the top.
    await nextMillisecond();
    await appendMessages(alice.api, a.id, ["news"]);
    await flushIndex(a.id);
    expect(await titles(alice.api)).toEqual(["A", "C", "B"]);
  });

  it("counts messages and open tasks, and carries the title, once the index is flushed", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api, { title: "Before" });
    const messages = await appendMessages(api, id, ["one", "two", "three"]);
    for (const title of ["open", "done"]) {
      const res = await api.v1.sessions[":id"].tasks.$post({ param: { id }, json: { title } });
      if (res.status !== 201) expect.unreachable(`create task returned ${res.status}`);
      const { task } = await res.json();
      if (title === "done") {
        const patch = { param: { id, taskId: task.id }, json: { status: "completed" as const } };
        expect((await api.v1.sessions[":id"].tasks[":taskId"].$patch(patch)).status).toBe(200);
      }
    }
    expect((await api.v1.sessions[":id"].$patch({ param: { id }, json: { title: "After" } })).status).toBe(200);
    await flushIndex(id);

    const [item] = (await list(api)).items;
    expect(item).toMatchObject({ id, title: "After", role: "owner", messageCount: 3, openTaskCount: 1 });
    expect(item?.lastMessageAt).toBe(messages.at(-1)?.createdAt);
    expect(Date.parse(item?.lastActivityAt ?? "")).toBeGreaterThanOrEqual(Date.parse(item?.lastMessageAt ?? ""));
  });

  it("shows the same creation time in the list as in the session itself", async () => {
    const { api } = await userWithClient();
    const created = await createSession(api, { title: "One clock" });
    const [listed] = (await list(api)).items;
    expect(listed?.createdAt).toBe(created.createdAt);
  });

  it("pages through keyset cursors until nextCursor is null, without repeats or gaps", async () => {
    const { api } = await userWithClient();
    await createInOrder(api, ["s1", "s2", "s3", "s4", "s5"]);
    expect(await allPages(api, 2)).toEqual([["s5", "s4"], ["s3", "s2"], ["s1"]]);
    // An exact boundary ends with null, not with an empty page.
    expect(await allPages(api, 5)).toEqual([["s5", "s4", "s3", "s2", "s1"]]);
    expect(await allPages(api, 1)).toEqual([["s5"], ["s4"], ["s3"], ["s2"], ["s1"]]);
  });

  it("keeps its place among sessions with the same activity time (ties go by id)", async () => {
    const { api } = await userWithClient();
    const sessions = await createInOrder(api, ["t1", "t2", "t3", "t4"]);
    const ids = sessions.map((s) => s.id);
    await env.DB.prepare(`UPDATE sessions SET last_activity_at = 1700000000000 WHERE id IN (?, ?, ?, ?)`)
      .bind(...ids)
      .run();
    const expected = [...sessions].sort((x, y) => (x.id < y.id ? 1 : -1)).map((s) => [s.title]);
    expect(await allPages(api, 1)).toEqual(expected);
  });

  it("drops deleted sessions, for the owner and for members", async () => {
    const owner = await userWithClient("Owner");
    const member = await userWithClient("Member");
    const [doomed] = await createInOrder(owner.api, ["doomed", "kept"]);
    if (!doomed) expect.unreachable("session was not created");
    await share(owner.api, doomed.id, member.user, "editor");
    expect(await titles(member.api)).toEqual(["doomed"]);

    expect((await owner.api.v1.sessions[":id"].$delete({ param: { id: doomed.id } })).status).toBe(204);
    expect(await titles(owner.api)).toEqual(["kept"]);
    expect(await titles(member.api)).toEqual([]);
  });

  it("refuses a cursor it did not issue with 400 and a bad limit with 422", async () => {
    const { user, api } = await userWithClient();
    await createInOrder(api, ["x", "y"]);
    const first = await list(api, { limit: "1" });
    const messageCursor = "a1";
    for (const cursor of ["garbage", messageCursor, `${first.nextCursor}x`, btoa("1:ses_short")]) {
      const res = await call(`/v1/sessions?cursor=${encodeURIComponent(cursor)}`, { headers: bearer(user.token) });
      expect(res.status, cursor).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "bad_request" } });
    }
    for (const limit of ["0", "201", "ten"]) {
      const res = await call(`/v1/sessions?limit=${limit}`, { headers: bearer(user.token) });
      expect(res.status, limit).toBe(422);
    }
  });
});
