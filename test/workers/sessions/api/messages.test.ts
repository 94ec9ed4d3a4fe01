// Messages through the Worker: appends with seq, Idempotency-Key replays, size limits, and paging.
import { describe, expect, it } from "vitest";
import { bearer, call } from "../../helpers/auth.ts";
import { type Client, createSession, userWithClient } from "../../helpers/client.ts";
import { appendMessages, numbered } from "./helpers.ts";

type Query = { after?: string; before?: string; latest?: "true" | "false"; limit?: string; cursor?: string };

async function page(api: Client, id: string, query: Query) {
  const res = await api.v1.sessions[":id"].messages.$get({ param: { id }, query });
  if (res.status !== 200) expect.unreachable(`list returned ${res.status}: ${await res.text()}`);
  const body = await res.json();
  return { seqs: body.items.map((m) => m.seq), nextCursor: body.nextCursor };
}

/** Follows nextCursor from `first` until it is null; returns the seqs of each page. */
async function allPages(api: Client, id: string, first: Query) {
  const pages: number[][] = [];
  let query: Query = first;
  for (;;) {
    const { seqs, nextCursor } = await page(api, id, query);
    pages.push(seqs);
    if (nextCursor === null) return pages;
    if (pages.length > 20) expect.unreachable("nextCursor never became null");
    query = { limit: first.limit, cursor: nextCursor };
  }
}

async function sessionWithMessages(n: number) {
  const { user, api } = await userWithClient();
  const { id } = await createSession(api);
  await appendMessages(api, id, numbered(n));
  return { user, api, id };
}

describe("POST /v1/sessions/:id/messages", () => {
  it("appends with the next seq, the caller as author and role user by default", async () => {
    const { user, api } = await userWithClient();
    const { id } = await createSession(api);
    const res = await api.v1.sessions[":id"].messages.$post({
      param: { id },
      header: {},
      json: { content: "hello", metadata: { lang: "en" } },
    });
    if (res.status !== 201) expect.unreachable(`append returned ${res.status}`);
    expect((await res.json()).message).toMatchObject({
      seq: 1,
      content: "hello",
      role: "user",
      authorId: user.id,
      metadata: { lang: "en" },
    });
    const [second] = await appendMessages(api, id, ["again"]);
    expect(second?.seq).toBe(2);
  });

  it("answers a repeated Idempotency-Key with 200 and the original message, and uses no seq for it", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api);
    const send = () =>
      api.v1.sessions[":id"].messages.$post({
        param: { id },
        header: { "idempotency-key": "retry-1" },
        json: { content: "exactly once", role: "assistant" },
      });
    const first = await send();
    if (first.status !== 201) expect.unreachable(`first append returned ${first.status}`);
    const original = (await first.json()).message;
    const again = await send();
    if (again.status !== 200) expect.unreachable(`replay returned ${again.status}`);
    expect((await again.json()).message).toEqual(original);

    const [next] = await appendMessages(api, id, ["after the retry"]);
    expect(next?.seq).toBe(original.seq + 1);
  });

  it("refuses the same key with another body: 409 idempotency_conflict naming the original", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api);
    const post = (content: string) =>
      api.v1.sessions[":id"].messages.$post({
        param: { id },
        header: { "idempotency-key": "k-42" },
        json: { content },
      });
    expect((await post("first")).status).toBe(201);
    const res = await post("something else");
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: "idempotency_conflict", details: { seq: 1 } } });
  });

  it("rejects content over the limit with 413 content_too_large, counting UTF-8 bytes", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api);
    const post = (content: string) =>
      api.v1.sessions[":id"].messages.$post({ param: { id }, header: {}, json: { content } });
    expect((await post("x".repeat(32 * 1024))).status).toBe(201);
    // 16,385 characters, but 32,770 bytes.
    const res = await post("é".repeat(16_385));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: { code: "content_too_large", details: { limit: 32_768, size: 32_770 } },
    });
    expect((await page(api, id, {})).seqs).toEqual([1]);
  });

  it("applies the error model: 413 body, 415 content type, 400 malformed JSON, 422 invalid fields", async () => {
    const { user, api } = await userWithClient();
    const { id } = await createSession(api);
    const path = `/v1/sessions/${id}/messages`;
    const post = (body: string, contentType = "application/json", headers: Record<string, string> = {}) =>
      call(path, { method: "POST", headers: { ...bearer(user.token), "content-type": contentType, ...headers }, body });

    const huge = await post(JSON.stringify({ content: "x".repeat(70_000) }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { code: "payload_too_large" } });
    expect((await post('{"content":"hi"}', "text/plain")).status).toBe(415);
    expect((await post('{"content":')).status).toBe(400);
    const invalid = await post(JSON.stringify({ content: "", role: "robot", extra: 1 }));
    expect(invalid.status).toBe(422);
    const { error } = (await invalid.json()) as { error: { code: string; details: { path: string }[] } };
    expect(error.code).toBe("validation_failed");
    expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(["content", "role"]));
    const badKey = await post(JSON.stringify({ content: "hi" }), "application/json", {
      "idempotency-key": "has space",
    });
    expect(badKey.status).toBe(422);
    expect((await page(api, id, {})).seqs).toEqual([]);
  });
});

describe("GET /v1/sessions/:id/messages", () => {
  it("pages forward from the start until nextCursor is null", async () => {
    const { api, id } = await sessionWithMessages(7);
    expect(await allPages(api, id, { limit: "3" })).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it("ends on an exact page boundary with nextCursor null, not an empty extra page", async () => {
    const { api, id } = await sessionWithMessages(6);
    expect(await allPages(api, id, { limit: "3" })).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(await allPages(api, id, { limit: "6" })).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect(await page(api, id, { limit: "7" })).toEqual({ seqs: [1, 2, 3, 4, 5, 6], nextCursor: null });
  });

  it("reads after a seq, before a seq, and the latest page, each continuing through nextCursor", async () => {
    const { api, id } = await sessionWithMessages(7);
    expect(await allPages(api, id, { after: "2", limit: "2" })).toEqual([[3, 4], [5, 6], [7]]);
    expect(await allPages(api, id, { before: "6", limit: "2" })).toEqual([[4, 5], [2, 3], [1]]);
    expect(await allPages(api, id, { latest: "true", limit: "3" })).toEqual([[5, 6, 7], [2, 3, 4], [1]]);
    expect(await page(api, id, { after: "7" })).toEqual({ seqs: [], nextCursor: null });
    expect(await page(api, id, { before: "1" })).toEqual({ seqs: [], nextCursor: null });
  });

  it("returns items in the shape they were appended, oldest first, 50 by default", async () => {
    const { api, id } = await sessionWithMessages(51);
    const res = await api.v1.sessions[":id"].messages.$get({ param: { id }, query: {} });
    if (res.status !== 200) expect.unreachable(`list returned ${res.status}`);
    const body = await res.json();
    expect(body.items).toHaveLength(50);
    expect(body.items[0]).toMatchObject({ seq: 1, content: "m1" });
    expect(body.items[49]).toMatchObject({ seq: 50, content: "m50" });
    expect(body.nextCursor).not.toBeNull();
  });

  it("refuses a cursor it did not issue with 400", async () => {
    const { api, id } = await sessionWithMessages(1);
    for (const cursor of ["garbage", "a-1", "c5", "a1.5", ""]) {
      const res = await api.v1.sessions[":id"].messages.$get({ param: { id }, query: { cursor } });
      expect(res.status, cursor).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "bad_request" } });
    }
  });

  it("refuses conflicting directions and bad values with 422", async () => {
    const { user, id } = await sessionWithMessages(1);
    const queries = [
      "after=1&before=3",
      "after=1&cursor=a1",
      "before=3&cursor=a1",
      "latest=true&after=1",
      "latest=true&cursor=b3",
      "limit=0",
      "limit=201",
      "after=-1",
      "before=x",
      "latest=yes",
    ];
    for (const query of queries) {
      const res = await call(`/v1/sessions/${id}/messages?${query}`, { headers: bearer(user.token) });
      expect(res.status, query).toBe(422);
      expect(await res.json()).toMatchObject({ error: { code: "validation_failed" } });
    }
  });
});
