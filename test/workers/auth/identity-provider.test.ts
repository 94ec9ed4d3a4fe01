// Bring your own identity provider: RS256/ES256 JWTs against a JWKS served by a mocked fetch, mapped to users.
import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bearer, postJson, signUpUser } from "../helpers/auth.ts";
import { callWithVars } from "../helpers/env-override.ts";

const ISSUER = "https://idp.example.test/";
const AUDIENCE = "stateful-api";
// Unique per run: jose caches key sets per URL inside the isolate.
const JWKS_URL = `https://idp.example.test/${crypto.randomUUID()}/jwks.json`;
const IDP_VARS = { IDP_ISSUER: ISSUER, IDP_JWKS_URL: JWKS_URL, IDP_AUDIENCE: AUDIENCE };

type Alg = "ES256" | "RS256";
const keys = {} as Record<Alg | "rogue", CryptoKeyPair>;
let jwksFetches = 0;

beforeAll(async () => {
  keys.ES256 = await generateKeyPair("ES256", { extractable: true });
  keys.RS256 = await generateKeyPair("RS256", { extractable: true });
  keys.rogue = await generateKeyPair("ES256", { extractable: true });
  const jwks = {
    keys: [
      { ...(await exportJWK(keys.ES256.publicKey)), kid: "es", alg: "ES256", use: "sig" },
      { ...(await exportJWK(keys.RS256.publicKey)), kid: "rs", alg: "RS256", use: "sig" },
    ],
  };
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url !== JWKS_URL) return realFetch(input, init);
    jwksFetches++;
    return Response.json(jwks);
  });
});

afterAll(() => {
  vi.restoreAllMocks();
});

interface TokenOptions {
  alg?: Alg;
  key?: CryptoKey;
  kid?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: number;
  claims?: Record<string, unknown>;
}

async function idpToken(sub: string, options: TokenOptions = {}): Promise<string> {
  const alg = options.alg ?? "ES256";
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email: `${sub}@example.com`, name: `User ${sub}`, ...options.claims })
    .setProtectedHeader({ alg, kid: options.kid ?? (alg === "ES256" ? "es" : "rs") })
    .setSubject(sub)
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(now - 10)
    .setExpirationTime(now + (options.expiresIn ?? 300))
    .sign(options.key ?? keys[alg].privateKey);
}

const me = (token: string, vars: Record<string, string> = IDP_VARS) =>
  callWithVars(vars, "/v1/me", { headers: bearer(token) });

async function expectRefused(token: string) {
  const res = await me(token);
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe("Bearer");
}

describe("identity-provider JWTs", () => {
  it.each(["ES256", "RS256"] as const)("accepts %s and creates the user on first sight, once", async (alg) => {
    const sub = `${alg}-${crypto.randomUUID()}`;
    const first = await me(await idpToken(sub, { alg }));
    expect(first.status).toBe(200);
    const { user } = (await first.json()) as { user: { id: string; email: string; name: string } };
    expect(user).toEqual({ id: expect.any(String), email: `${sub}@example.com`, name: `User ${sub}` });

    const again = await me(await idpToken(sub, { alg }));
    expect(await again.json()).toEqual({ user });
    const rows = await env.DB.prepare("SELECT external_subject FROM users WHERE id = ?").bind(user.id).all();
    expect(rows.results).toEqual([{ external_subject: `${ISSUER}|${sub}` }]);
  });

  it("fetches the JWKS once and reuses it", async () => {
    await me(await idpToken(crypto.randomUUID()));
    const before = jwksFetches;
    expect(before).toBeGreaterThan(0);
    await me(await idpToken(crypto.randomUUID()));
    await me(await idpToken(crypto.randomUUID(), { alg: "RS256" }));
    expect(jwksFetches).toBe(before);
  });

  it("refuses a bad signature", async () => {
    await expectRefused(await idpToken(crypto.randomUUID(), { key: keys.rogue.privateKey }));
  });

  it("refuses the wrong issuer or audience", async () => {
    await expectRefused(await idpToken(crypto.randomUUID(), { issuer: "https://evil.example.test/" }));
    await expectRefused(await idpToken(crypto.randomUUID(), { audience: "another-api" }));
  });

  it("refuses an expired token", async () => {
    await expectRefused(await idpToken(crypto.randomUUID(), { expiresIn: -120 }));
  });

  it("refuses an HS256 token signed with a public key as the secret (algorithm confusion)", async () => {
    const jwk = await exportJWK(keys.RS256.publicKey);
    const secret = new TextEncoder().encode(JSON.stringify(jwk));
    const forged = await new SignJWT({ email: "mallory@example.com" })
      .setProtectedHeader({ alg: "HS256", kid: "rs" })
      .setSubject("mallory")
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime("5m")
      .sign(secret);
    await expectRefused(forged);
  });

  it("refuses a token without a usable email claim", async () => {
    await expectRefused(await idpToken(crypto.randomUUID(), { claims: { email: undefined } }));
    await expectRefused(await idpToken(crypto.randomUUID(), { claims: { email: "not-an-email" } }));
  });

  it("ignores JWTs while no provider is configured", async () => {
    const res = await me(await idpToken(crypto.randomUUID()), {});
    expect(res.status).toBe(401);
  });

  it("still accepts the API's own tokens when a provider is configured", async () => {
    const user = await signUpUser();
    expect((await me(user.token)).status).toBe(200);
  });

  it("cannot log out an identity-provider token (the provider owns it)", async () => {
    const res = await callWithVars(IDP_VARS, "/v1/auth/logout", {
      method: "POST",
      headers: bearer(await idpToken(crypto.randomUUID())),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "not_revocable" } });
  });
});

async function accountRow(userId: string) {
  return env.DB.prepare("SELECT password_hash, external_subject FROM users WHERE id = ?")
    .bind(userId)
    .first<{ password_hash: string | null; external_subject: string | null }>();
}

async function createKey(token: string) {
  const res = await postJson("/v1/api-keys", { name: "squatter's key" }, bearer(token));
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

describe("linking an identity-provider login to an existing password account", { timeout: 30_000 }, () => {
  const notExactlyTrue: [string, Record<string, unknown>][] = [
    ["absent", {}],
    ["false", { email_verified: false }],
    ['the string "false"', { email_verified: "false" }],
    ['the string "true"', { email_verified: "true" }],
    ["0", { email_verified: 0 }],
    ["1", { email_verified: 1 }],
    ["null", { email_verified: null }],
  ];

  it.each(notExactlyTrue)("refuses to link when email_verified is %s, and changes nothing", async (_, claims) => {
    const holder = await signUpUser();
    const before = await accountRow(holder.id);
    const res = await me(await idpToken(crypto.randomUUID(), { claims: { email: holder.email, ...claims } }));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "email_not_verified" } });
    expect(await accountRow(holder.id)).toEqual(before);
    expect((await me(holder.token)).status).toBe(200);
    const login = await postJson("/v1/auth/login", { email: holder.email, password: holder.password });
    expect(login.status).toBe(200);
  });

  it("links on email_verified: true, whatever the email's case, and keeps the account's id", async () => {
    const holder = await signUpUser();
    const sub = crypto.randomUUID();
    const verified = { email: holder.email.toUpperCase(), email_verified: true };
    const res = await me(await idpToken(sub, { claims: verified }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(holder.id);
    expect(await accountRow(holder.id)).toEqual({ password_hash: null, external_subject: `${ISSUER}|${sub}` });
    // The next token for the same subject finds the account by subject, with no claim needed.
    const again = await me(await idpToken(sub, { claims: { email: holder.email } }));
    expect(((await again.json()) as { user: { id: string } }).user.id).toBe(holder.id);
    // The account has no password any more: nothing to change, nothing to log in with.
    const change = await callWithVars(IDP_VARS, "/v1/auth/password", {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(await idpToken(sub)) },
      body: JSON.stringify({ currentPassword: holder.password, newPassword: "a brand new password" }),
    });
    expect(change.status).toBe(400);
    expect(await change.json()).toMatchObject({ error: { code: "no_password" } });
  });

  it("takes the account from an earlier, unverified holder: password, tokens and keys all stop", async () => {
    // Mallory signs up first with Alice's address, keeps a token, mints a key with her password.
    const victimEmail = `alice-${crypto.randomUUID()}@example.com`;
    const squatter = await signUpUser({ email: victimEmail });
    const ownKey = await createKey(squatter.token);
    const passwordKeyRes = await postJson(
      "/v1/api-keys",
      { name: "root key", currentPassword: squatter.password },
      bearer(squatter.token),
    );
    const rootKey = ((await passwordKeyRes.json()) as { key: string }).key;
    for (const token of [squatter.token, ownKey, rootKey]) expect((await me(token)).status).toBe(200);

    // Alice arrives through the identity provider, which vouches for the address.
    const alice = await me(
      await idpToken(crypto.randomUUID(), { claims: { email: victimEmail, email_verified: true } }),
    );
    expect(alice.status).toBe(200);

    for (const token of [squatter.token, ownKey, rootKey]) expect((await me(token)).status).toBe(401);
    const login = await postJson("/v1/auth/login", { email: victimEmail, password: squatter.password });
    expect(login.status).toBe(401);
    const live = await env.DB.prepare("SELECT count(*) AS n FROM credentials WHERE user_id = ? AND revoked_at IS NULL")
      .bind(squatter.id)
      .first<number>("n");
    expect(live).toBe(0);
  });

  it("refuses a second identity for an account already linked to another (409 identity_conflict)", async () => {
    const holder = await signUpUser();
    const claims = { email: holder.email, email_verified: true };
    expect((await me(await idpToken(crypto.randomUUID(), { claims }))).status).toBe(200);
    const other = await me(await idpToken(crypto.randomUUID(), { claims }));
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: { code: "identity_conflict" } });
  });

  it("creates a new account for an unverified email nobody holds (the provider vouches for its own subject)", async () => {
    const res = await me(await idpToken(crypto.randomUUID(), { claims: { email_verified: false } }));
    expect(res.status).toBe(200);
  });
});
