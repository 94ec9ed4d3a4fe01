// Credentials a user can manage: login tokens listed and revoked, password change, and keys that
// never outlive the credential that minted them.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { bearer, call, postJson, signUpUser, type TestUser } from "../helpers/auth.ts";
import { callWithVars } from "../helpers/env-override.ts";

interface LoginToken {
  id: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
}

const status = async (token: string) => (await call("/v1/me", { headers: bearer(token) })).status;

async function logIn(user: TestUser, userAgent: string): Promise<string> {
  const res = await postJson(
    "/v1/auth/login",
    { email: user.email, password: user.password },
    { "user-agent": userAgent },
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function listTokens(token: string): Promise<LoginToken[]> {
  const res = await call("/v1/auth/tokens", { headers: bearer(token) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: LoginToken[] }).items;
}

async function createKey(token: string, body: Record<string, unknown>) {
  const res = await postJson("/v1/api-keys", { name: "k", ...body }, bearer(token));
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string; expiresAt: string | null };
}

async function credentialId(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  const hash = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  const row = await env.DB.prepare("SELECT id FROM credentials WHERE secret_hash = ?").bind(hash).first<string>("id");
  if (!row) throw new Error("no such credential");
  return row;
}

describe("login tokens", () => {
  it("lists my live login tokens with their user agent, the current one marked, never a secret", async () => {
    const user = await signUpUser();
    const phone = await logIn(user, "Phone/1.0");
    const laptop = await logIn(user, "Laptop/2.0");
    await signUpUser(); // someone else's tokens stay out of it

    const items = await listTokens(laptop);
    expect(items).toHaveLength(3);
    expect(items.map((t) => t.userAgent)).toEqual(["Laptop/2.0", "Phone/1.0", null]);
    expect(items.map((t) => t.current)).toEqual([true, false, false]);
    expect(items[0]).toEqual({
      id: await credentialId(laptop),
      prefix: laptop.slice(0, 12),
      createdAt: expect.any(String),
      lastUsedAt: items[0]?.lastUsedAt ?? null,
      expiresAt: expect.any(String),
      userAgent: "Laptop/2.0",
      current: true,
    } satisfies Record<keyof LoginToken, unknown>);
    const text = JSON.stringify(items);
    for (const secret of [user.token, phone, laptop]) expect(text).not.toContain(secret.slice(12));
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });

  it("revokes one token (404 for someone else's), and it stops working at once", async () => {
    const user = await signUpUser();
    const stolen = await logIn(user, "Unknown/0.1");
    const stranger = await signUpUser();
    const stolenId = await credentialId(stolen);

    const foreign = await call(`/v1/auth/tokens/${stolenId}`, { method: "DELETE", headers: bearer(stranger.token) });
    expect(foreign.status).toBe(404);
    expect(await status(stolen)).toBe(200);

    const res = await call(`/v1/auth/tokens/${stolenId}`, { method: "DELETE", headers: bearer(user.token) });
    expect(res.status).toBe(204);
    expect(await status(stolen)).toBe(401);
    expect(await status(user.token)).toBe(200);
    expect((await listTokens(user.token)).map((t) => t.id)).not.toContain(stolenId);
  });

  it("revokes all but the current token, or all of them with includeCurrent=true", async () => {
    const user = await signUpUser();
    const other = await logIn(user, "Other/1");
    const res = await call("/v1/auth/tokens", { method: "DELETE", headers: bearer(user.token) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 1 });
    expect(await status(other)).toBe(401);
    expect(await status(user.token)).toBe(200);

    const all = await call("/v1/auth/tokens?includeCurrent=true", { method: "DELETE", headers: bearer(user.token) });
    expect(await all.json()).toEqual({ revoked: 1 });
    expect(await status(user.token)).toBe(401);
  });

  it("never revokes an API key through the login-token routes", async () => {
    const user = await signUpUser();
    const key = await createKey(user.token, { currentPassword: user.password });
    const res = await call(`/v1/auth/tokens/${key.id}`, { method: "DELETE", headers: bearer(user.token) });
    expect(res.status).toBe(404);
    expect(await status(key.key)).toBe(200);
  });
});

describe("POST /v1/auth/password", { timeout: 30_000 }, () => {
  const change = (token: string, body: Record<string, unknown>) => postJson("/v1/auth/password", body, bearer(token));

  it("needs the current password and the same rules as signup for the new one", async () => {
    const user = await signUpUser();
    const wrong = await change(user.token, { currentPassword: "not my password", newPassword: "a new long password" });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: { code: "invalid_password" } });
    const weak = await change(user.token, { currentPassword: user.password, newPassword: "short" });
    expect(weak.status).toBe(422);
    expect((await postJson("/v1/auth/login", { email: user.email, password: user.password })).status).toBe(200);
  });

  it("changes it and revokes every other credential, keys they minted and root keys included", async () => {
    const user = await signUpUser();
    const other = await logIn(user, "Other/1");
    const childOfOther = await createKey(other, {});
    const rootKey = await createKey(user.token, { currentPassword: user.password });
    const newPassword = `new-${crypto.randomUUID()}`;

    const res = await change(user.token, { currentPassword: user.password, newPassword });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 3 });
    for (const token of [other, childOfOther.key, rootKey.key]) expect(await status(token)).toBe(401);
    expect(await status(user.token)).toBe(200);
    expect((await postJson("/v1/auth/login", { email: user.email, password: user.password })).status).toBe(401);
    expect((await postJson("/v1/auth/login", { email: user.email, password: newPassword })).status).toBe(200);
  });
});

describe("a credential cannot create a credential that outlives it", { timeout: 30_000 }, () => {
  it("a 1-day key mints no never-expiring key: the child expires with it and dies with it", async () => {
    const user = await signUpUser();
    const dayKey = await createKey(user.token, { expiresInDays: 1, currentPassword: user.password });
    const child = await createKey(dayKey.key, { name: "forever?" });
    expect(child.expiresAt).toBe(dayKey.expiresAt);
    const longer = await createKey(dayKey.key, { expiresInDays: 365 });
    expect(longer.expiresAt).toBe(dayKey.expiresAt);
    const shorter = await createKey(dayKey.key, { expiresInDays: 1 });
    expect(Date.parse(shorter.expiresAt ?? "")).toBeLessThanOrEqual(Date.parse(dayKey.expiresAt ?? ""));
    const grandchild = await createKey(child.key, {});

    const res = await call(`/v1/api-keys/${dayKey.id}`, { method: "DELETE", headers: bearer(user.token) });
    expect(res.status).toBe(204);
    for (const key of [dayKey, child, longer, shorter, grandchild]) expect(await status(key.key)).toBe(401);
  });

  it("a key minted by a login token expires with it and is revoked at its logout", async () => {
    const user = await signUpUser();
    const session = await logIn(user, "CLI/1");
    const key = await createKey(session, {});
    const tokens = await listTokens(session);
    expect(key.expiresAt).toBe(tokens.find((t) => t.current)?.expiresAt);
    expect((await call("/v1/auth/logout", { method: "POST", headers: bearer(session) })).status).toBe(204);
    expect(await status(key.key)).toBe(401);
  });

  it("a parent revoked elsewhere (still cached here) mints nothing", async () => {
    const user = await signUpUser();
    const parent = await createKey(user.token, { currentPassword: user.password });
    expect(await status(parent.key)).toBe(200);
    // As if another isolate revoked it: this isolate's cache still accepts the parent.
    await env.DB.prepare("UPDATE credentials SET revoked_at = ? WHERE id = ?").bind(Date.now(), parent.id).run();
    const res = await postJson("/v1/api-keys", { name: "escape" }, bearer(parent.key));
    expect(res.status).toBe(401);
    const live = await env.DB.prepare("SELECT count(*) AS n FROM credentials WHERE parent_id = ?")
      .bind(parent.id)
      .first<number>("n");
    expect(live).toBe(0);
  });
});

describe("API-key quota", () => {
  it("refuses a key past QUOTA_API_KEYS_PER_USER live keys with 409, and frees a slot on revoke", async () => {
    const vars = { QUOTA_API_KEYS_PER_USER: "2" };
    const user = await signUpUser();
    const mint = () =>
      callWithVars(vars, "/v1/api-keys", {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(user.token) },
        body: JSON.stringify({ name: "k" }),
      });
    const first = (await (await mint()).json()) as { id: string };
    expect((await mint()).status).toBe(201);
    const over = await mint();
    expect(over.status).toBe(409);
    expect(await over.json()).toMatchObject({ error: { code: "api_key_limit" } });

    await call(`/v1/api-keys/${first.id}`, { method: "DELETE", headers: bearer(user.token) });
    expect((await mint()).status).toBe(201);
  });
});
