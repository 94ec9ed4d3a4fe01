// GET /v1/api-keys pages: `{ items, nextCursor }`, newest first, keyset on (created_at, id), cursors checked.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { bearer, call, signUpUser } from "../helpers/auth.ts";

interface KeyPage {
  items: { id: string; name: string; createdAt: string }[];
  nextCursor: string | null;
}

/** Keys written straight to D1, so a test controls created_at (ties included). */
async function seedKeys(userId: string, createdAts: number[]): Promise<{ id: string; createdAt: number }[]> {
  const keys = createdAts.map((createdAt) => ({ id: crypto.randomUUID(), createdAt }));
  await env.DB.batch(
    keys.map(({ id, createdAt }) =>
      env.DB.prepare(
        `INSERT INTO credentials (id, user_id, kind, name, secret_hash, prefix, created_at)
         VALUES (?1, ?2, 'api_key', ?1, ?3, 'sak_seeded00', ?4)`,
      ).bind(id, userId, crypto.randomUUID(), createdAt),
    ),
  );
  return keys;
}

/** Newest first; keys created in the same millisecond by descending id. */
const newestFirst = (keys: { id: string; createdAt: number }[]) =>
  [...keys].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map((key) => key.id);

async function page(token: string, query: string): Promise<KeyPage> {
  const res = await call(`/v1/api-keys${query}`, { headers: bearer(token) });
  expect(res.status).toBe(200);
  return (await res.json()) as KeyPage;
}

async function allPages(token: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = `?limit=${limit}${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`;
    const body = await page(token, query);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...body.items.map((item) => item.id));
    cursor = body.nextCursor;
    pages++;
  } while (cursor !== null && pages < 20);
  return { ids, pages };
}

describe("GET /v1/api-keys pagination", () => {
  it("walks every key exactly once, newest first, ties in created_at included", async () => {
    const user = await signUpUser();
    const keys = await seedKeys(user.id, [1_000, 5_000, 3_000, 3_000, 3_000, 2_000, 4_000]);
    const { ids, pages } = await allPages(user.token, 2);
    expect(ids).toEqual(newestFirst(keys));
    expect(pages).toBe(4);
  });

  it("ends with nextCursor null on a full last page, not with an empty page", async () => {
    const user = await signUpUser();
    const keys = await seedKeys(user.id, [1_000, 2_000, 3_000, 4_000]);
    const first = await page(user.token, "?limit=2");
    expect(first.items.map((item) => item.id)).toEqual(newestFirst(keys).slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const last = await page(user.token, `?limit=2&cursor=${first.nextCursor}`);
    expect(last.items.map((item) => item.id)).toEqual(newestFirst(keys).slice(2));
    expect(last.nextCursor).toBeNull();
    expect(last.items[0]?.createdAt).toBe(new Date(2_000).toISOString());
  });

  it("keeps its place when a key on an earlier page is revoked", async () => {
    const user = await signUpUser();
    const keys = await seedKeys(user.id, [1_000, 2_000, 3_000]);
    const [newest, middle, oldest] = newestFirst(keys);
    const first = await page(user.token, "?limit=1");
    expect(first.items.map((item) => item.id)).toEqual([newest]);
    const revoke = await call(`/v1/api-keys/${newest}`, { method: "DELETE", headers: bearer(user.token) });
    expect(revoke.status).toBe(204);
    const next = await page(user.token, `?limit=1&cursor=${first.nextCursor}`);
    expect(next.items.map((item) => item.id)).toEqual([middle]);
    const last = await page(user.token, `?limit=1&cursor=${next.nextCursor}`);
    expect(last).toMatchObject({ items: [{ id: oldest }], nextCursor: null });
  });

  it("returns 50 keys by default", async () => {
    const user = await signUpUser();
    await seedKeys(
      user.id,
      Array.from({ length: 51 }, (_, i) => 1_000 + i),
    );
    const body = await page(user.token, "");
    expect(body.items).toHaveLength(50);
    expect(body.nextCursor).toEqual(expect.any(String));
  });

  it.each([
    ["not base64url", "not a cursor!"],
    ["base64url of something else", btoa("hello").replace(/=+$/, "")],
    ["a session cursor", btoa(`1700000000000:ses_3q2x9Lm0cVb7Yt1kRz4wNA`).replace(/=+$/, "")],
  ])("answers 400 for a cursor that is %s", async (_, cursor) => {
    const user = await signUpUser();
    const res = await call(`/v1/api-keys?cursor=${encodeURIComponent(cursor)}`, { headers: bearer(user.token) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: "bad_request", message: "The cursor is not valid; pass back a nextCursor exactly as received." },
    });
  });

  it.each(["0", "201", "ten"])("answers 422 for limit=%s", async (limit) => {
    const user = await signUpUser();
    const res = await call(`/v1/api-keys?limit=${limit}`, { headers: bearer(user.token) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((detail) => detail.path)).toEqual(["limit"]);
  });
});
