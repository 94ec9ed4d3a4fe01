// POST /v1/auth/login and /logout: tokens for a password, one answer for every failure, revocation.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { toBase64Url } from "../../../src/shared/bytes.ts";
import { bearer, call, postJson, signUpUser, uniqueEmail } from "../helpers/auth.ts";
import { callWithVars } from "../helpers/env-override.ts";

async function storedHash(userId: string): Promise<string> {
  const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(userId).first();
  return row?.password_hash as string;
}

describe("POST /v1/auth/login", () => {
  it("returns the user and a new login token", async () => {
    const user = await signUpUser({ name: "Grace" });
    const res = await postJson("/v1/auth/login", { email: user.email.toUpperCase(), password: user.password });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: unknown; token: string; expiresAt: string };
    expect(body.user).toEqual({ id: user.id, email: user.email, name: "Grace" });
    expect(body.token).toMatch(/^sat_/);
    expect(body.token).not.toBe(user.token);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());

    const me = await call("/v1/me", { headers: bearer(body.token) });
    expect(me.status).toBe(200);
  });

  it("answers an unknown email and a wrong password identically", async () => {
    const user = await signUpUser();
    const wrongPassword = await postJson("/v1/auth/login", { email: user.email, password: "not the password" });
    const unknownEmail = await postJson("/v1/auth/login", { email: uniqueEmail(), password: "not the password" });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const expected = { error: { code: "invalid_credentials", message: "Email or password is incorrect." } };
    expect(await wrongPassword.json()).toEqual(expected);
    expect(await unknownEmail.json()).toEqual(expected);
  });

  it("spends the same PBKDF2 work on an unknown email as on a wrong password", async () => {
    const user = await signUpUser();
    // Counting the work rather than timing it: wall-clock ratios are noise on a shared machine.
    const deriveBits = vi.spyOn(crypto.subtle, "deriveBits");
    const iterationsFor = async (email: string) => {
      deriveBits.mockClear();
      const res = await postJson("/v1/auth/login", { email, password: "not the password" });
      expect(res.status).toBe(401);
      return deriveBits.mock.calls.map(([params]) => (params as { iterations: number }).iterations);
    };
    try {
      expect(await iterationsFor(user.email)).toEqual([100_000]);
      expect(await iterationsFor(uniqueEmail())).toEqual([100_000]);
    } finally {
      deriveBits.mockRestore();
    }
  });

  it("refuses an account that has no password (identity-provider only)", async () => {
    const email = uniqueEmail("sso");
    await env.DB.prepare(
      "INSERT INTO users (id, email, external_subject, created_at, updated_at) VALUES (?1, ?2, ?3, 0, 0)",
    )
      .bind(crypto.randomUUID(), email, `https://idp.test|${crypto.randomUUID()}`)
      .run();
    const res = await postJson("/v1/auth/login", { email, password: "any password at all" });
    expect(res.status).toBe(401);
  });

  it("upgrades an unpeppered hash made with fewer iterations at the next successful login", async () => {
    const user = await signUpUser();
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(user.password), "PBKDF2", false, [
      "deriveBits",
    ]);
    const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: 1000 }, key, 256);
    const legacy = `pbkdf2-sha256$1000$${toBase64Url(salt)}$${toBase64Url(new Uint8Array(bits))}`;
    await env.DB.prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1").bind(user.id, legacy).run();

    expect((await postJson("/v1/auth/login", { email: user.email, password: user.password })).status).toBe(200);
    let stored = legacy;
    for (let i = 0; i < 100 && stored === legacy; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(user.id).first();
      stored = row?.password_hash as string;
    }
    expect(stored).toMatch(/^pbkdf2-sha256-pepper\$[\w-]{8}\$100000\$/);
    expect((await postJson("/v1/auth/login", { email: user.email, password: user.password })).status).toBe(200);
  });

  it("rotates PASSWORD_PEPPER: listed second, the old pepper still signs in and is replaced; dropped, it is refused", async () => {
    const user = await signUpUser();
    const before = await storedHash(user.id);
    const next = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    const login = (peppers: string) =>
      callWithVars({ PASSWORD_PEPPER: peppers }, "/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
    // Dropping the pepper the hash names locks the account out (docs/configuration.md): a plain 401, logged.
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect((await login(next)).status).toBe(401);
      expect(warned.mock.calls.flat().join("\n")).toContain('"event":"password_pepper_unknown"');
    } finally {
      warned.mockRestore();
    }
    expect((await login(`${next},${env.PASSWORD_PEPPER}`)).status).toBe(200);
    const after = await storedHash(user.id);
    expect(after.split("$")[1]).not.toBe(before.split("$")[1]);
    expect((await login(next)).status).toBe(200);
    expect((await login(env.PASSWORD_PEPPER)).status).toBe(401);
  });

  it("answers 422 for a missing field and 415 for a form post", async () => {
    const missing = await postJson("/v1/auth/login", { email: uniqueEmail() });
    expect(missing.status).toBe(422);
    const body = (await missing.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details).toEqual([expect.objectContaining({ path: "password" })]);

    const form = await call("/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.c&password=x",
    });
    expect(form.status).toBe(415);
  });
});

describe("POST /v1/auth/logout", () => {
  it("revokes the presented token and only that one", async () => {
    const user = await signUpUser();
    const login = await postJson("/v1/auth/login", { email: user.email, password: user.password });
    const { token: second } = (await login.json()) as { token: string };

    const res = await call("/v1/auth/logout", { method: "POST", headers: bearer(user.token) });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");

    const after = await call("/v1/me", { headers: bearer(user.token) });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toBe("Bearer");
    expect((await call("/v1/me", { headers: bearer(second) })).status).toBe(200);

    const row = await env.DB.prepare("SELECT revoked_at FROM credentials WHERE user_id = ? AND revoked_at IS NOT NULL")
      .bind(user.id)
      .all();
    expect(row.results).toHaveLength(1);
  });

  it("needs a token", async () => {
    const res = await call("/v1/auth/logout", { method: "POST" });
    expect(res.status).toBe(401);
  });
});
