// POST /v1/auth/signup: accounts, the token shown once, and every way a signup is refused.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { bearer, call, postJson, signUpUser, uniqueEmail } from "../helpers/auth.ts";
import { config } from "../helpers/config.ts";

describe("POST /v1/auth/signup", () => {
  it("creates the account and returns a working login token", async () => {
    const email = uniqueEmail("ada");
    const res = await postJson("/v1/auth/signup", { email, password: "correct horse battery", name: "Ada" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: { id: string }; token: string; expiresAt: string };
    expect(body.user).toEqual({ id: expect.any(String), email, name: "Ada" });
    expect(body.token).toMatch(/^sat_[A-Za-z0-9_-]{43}$/);
    const ttlDays = (Date.parse(body.expiresAt) - Date.now()) / 86_400_000;
    expect(ttlDays).toBeGreaterThan(config.LOGIN_TOKEN_TTL_DAYS - 0.1);
    expect(ttlDays).toBeLessThanOrEqual(config.LOGIN_TOKEN_TTL_DAYS);

    const me = await call("/v1/me", { headers: bearer(body.token) });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ user: { id: body.user.id, email, name: "Ada" } });
  });

  it("stores a PBKDF2 hash and a SHA-256 of the token, never the secrets", async () => {
    const user = await signUpUser();
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(user.id).first<{
      password_hash: string;
    }>();
    expect(row?.password_hash).toMatch(
      /^pbkdf2-sha256-pepper\$[A-Za-z0-9_-]{8}\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/,
    );
    expect(row?.password_hash).not.toContain(user.password);

    const credentials = await env.DB.prepare("SELECT * FROM credentials WHERE user_id = ?").bind(user.id).all();
    expect(credentials.results).toHaveLength(1);
    const stored = credentials.results[0] as Record<string, unknown>;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(user.token)));
    expect(stored.secret_hash).toBe([...digest].map((b) => b.toString(16).padStart(2, "0")).join(""));
    expect(stored.kind).toBe("session");
    expect(stored.prefix).toBe(user.token.slice(0, 12));
    expect(JSON.stringify(stored)).not.toContain(user.token);
  });

  it("refuses a taken email, whatever its case, with 409", async () => {
    const user = await signUpUser();
    const res = await postJson("/v1/auth/signup", { email: user.email.toUpperCase(), password: "another password" });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: { code: "email_taken", message: "An account with this email already exists." },
    });
  });

  it("answers 422 with field-level details for invalid input", async () => {
    const res = await postJson("/v1/auth/signup", { email: "not-an-email", password: "short" });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d) => d.path).sort()).toEqual(["email", "password"]);

    const tooLong = await postJson("/v1/auth/signup", { email: uniqueEmail(), password: "x".repeat(257) });
    expect(tooLong.status).toBe(422);
  });

  it("answers 400 for malformed JSON and 415 for another content type", async () => {
    const malformed = await call("/v1/auth/signup", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email": ',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: "bad_request" } });

    const form = await call("/v1/auth/signup", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "email=a@b.c",
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
  });

  it("answers 413 for a body over MAX_BODY_BYTES, before parsing it", async () => {
    const limit = Number(env.MAX_BODY_BYTES);
    const res = await postJson("/v1/auth/signup", { email: uniqueEmail(), password: "p".repeat(limit) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "payload_too_large" } });
  });
});
