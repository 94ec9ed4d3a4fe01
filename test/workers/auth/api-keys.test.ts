// /v1/api-keys: keys for machines, shown once, listed without secrets, revocable only by their owner.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { bearer, call, postJson, signUpUser } from "../helpers/auth.ts";

interface CreatedKey {
  id: string;
  name: string;
  key: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
}

interface KeyPage {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

async function listKeys(token: string): Promise<KeyPage> {
  const res = await call("/v1/api-keys", { headers: bearer(token) });
  expect(res.status).toBe(200);
  return (await res.json()) as KeyPage;
}

async function createKey(token: string, body: Record<string, unknown> = { name: "ci" }): Promise<CreatedKey> {
  const res = await postJson("/v1/api-keys", body, bearer(token));
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedKey;
}

describe("API keys", () => {
  it("creates a key that authenticates as its owner and, made with the password, never expires unless asked", async () => {
    const user = await signUpUser();
    const created = await createKey(user.token, { name: "deploy bot", currentPassword: user.password });
    expect(created).toEqual({
      id: expect.any(String),
      name: "deploy bot",
      key: expect.stringMatching(/^sak_[A-Za-z0-9_-]{43}$/),
      prefix: created.key.slice(0, 12),
      createdAt: expect.any(String),
      expiresAt: null,
    });
    const me = await call("/v1/me", { headers: bearer(created.key) });
    expect(await me.json()).toEqual({ user: { id: user.id, email: user.email, name: null } });
  });

  it("stores only the SHA-256 of the key", async () => {
    const user = await signUpUser();
    const created = await createKey(user.token);
    const row = await env.DB.prepare("SELECT * FROM credentials WHERE id = ?").bind(created.id).first();
    expect(row).toMatchObject({ kind: "api_key", user_id: user.id, prefix: created.prefix });
    expect(row?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.key);
  });

  it("expires a key when asked to", async () => {
    const user = await signUpUser();
    const created = await createKey(user.token, { name: "short-lived", expiresInDays: 7 });
    const days = (Date.parse(created.expiresAt ?? "") - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
  });

  it("lists the caller's live keys without secrets, newest first", async () => {
    const user = await signUpUser();
    const stranger = await signUpUser();
    const first = await createKey(user.token, { name: "first", expiresInDays: 30 });
    // Keys created in the same millisecond are ordered by id; these two must not be.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await createKey(user.token, { name: "second", currentPassword: user.password });
    await createKey(stranger.token, { name: "not yours" });

    const body = await listKeys(user.token);
    expect(body).toEqual({
      items: [
        {
          id: second.id,
          name: "second",
          prefix: second.prefix,
          createdAt: second.createdAt,
          lastUsedAt: null,
          expiresAt: null,
        },
        {
          id: first.id,
          name: "first",
          prefix: first.prefix,
          createdAt: first.createdAt,
          lastUsedAt: null,
          expiresAt: first.expiresAt,
        },
      ],
      nextCursor: null,
    });
    expect(JSON.stringify(body)).not.toContain(first.key);
    expect(JSON.stringify(body)).not.toContain(second.key);
  });

  it("shows when a key was last used", async () => {
    const user = await signUpUser();
    const created = await createKey(user.token);
    expect((await call("/v1/me", { headers: bearer(created.key) })).status).toBe(200);
    // The use is recorded after the response.
    const listed = await vi.waitFor(async () => {
      const [key] = (await listKeys(user.token)).items;
      expect(key?.lastUsedAt).not.toBeNull();
      return key;
    });
    expect(Date.parse(String(listed?.lastUsedAt))).toBeGreaterThanOrEqual(Date.parse(created.createdAt));
  });

  it("revokes a key: 204, then the key is refused and no longer listed", async () => {
    const user = await signUpUser();
    const created = await createKey(user.token);
    expect((await call("/v1/me", { headers: bearer(created.key) })).status).toBe(200);

    const res = await call(`/v1/api-keys/${created.id}`, { method: "DELETE", headers: bearer(user.token) });
    expect(res.status).toBe(204);
    const after = await call("/v1/me", { headers: bearer(created.key) });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toBe("Bearer");

    expect(await listKeys(user.token)).toEqual({ items: [], nextCursor: null });
    const again = await call(`/v1/api-keys/${created.id}`, { method: "DELETE", headers: bearer(user.token) });
    expect(again.status).toBe(404);
  });

  it("answers 404 for someone else's key, which keeps working", async () => {
    const owner = await signUpUser();
    const intruder = await signUpUser();
    const created = await createKey(owner.token);
    const res = await call(`/v1/api-keys/${created.id}`, { method: "DELETE", headers: bearer(intruder.token) });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No such API key." } });
    expect((await call("/v1/me", { headers: bearer(created.key) })).status).toBe(200);
  });

  it("does not revoke login tokens through the API-key route", async () => {
    const user = await signUpUser();
    const row = await env.DB.prepare("SELECT id FROM credentials WHERE user_id = ?")
      .bind(user.id)
      .first<{ id: string }>();
    const res = await call(`/v1/api-keys/${row?.id}`, { method: "DELETE", headers: bearer(user.token) });
    expect(res.status).toBe(404);
    expect((await call("/v1/me", { headers: bearer(user.token) })).status).toBe(200);
  });

  it("validates the body and needs a token", async () => {
    const user = await signUpUser();
    const invalid = await postJson("/v1/api-keys", { name: "", expiresInDays: 0 }, bearer(user.token));
    expect(invalid.status).toBe(422);
    const body = (await invalid.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((d) => d.path).sort()).toEqual(["expiresInDays", "name"]);

    expect((await postJson("/v1/api-keys", { name: "x" })).status).toBe(401);
    expect((await call("/v1/api-keys")).status).toBe(401);
  });
});
