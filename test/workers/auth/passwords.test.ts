// Password hashes: self-describing PBKDF2-SHA256, random salts, weaker hashes flagged for an upgrade.
import { describe, expect, it } from "vitest";
import { toBase64Url } from "../../../src/auth/bytes.ts";
import { hashPassword, PBKDF2_ITERATIONS, UNMATCHABLE_HASH, verifyPassword } from "../../../src/auth/passwords.ts";

async function legacyHash(password: string, iterations: number): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return `pbkdf2-sha256$${iterations}$${toBase64Url(salt)}$${toBase64Url(new Uint8Array(bits))}`;
}

describe("passwords", () => {
  it("hashes at the Workers maximum with a fresh salt each time", async () => {
    const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(a.split("$").slice(0, 2)).toEqual(["pbkdf2-sha256", String(PBKDF2_ITERATIONS)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password", a)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword("same password", b)).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPassword("other password", a)).ok).toBe(false);
  });

  it("reads the parameters from the hash and asks for a rehash when they are weaker", async () => {
    const old = await legacyHash("an older password", 10_000);
    expect(await verifyPassword("an older password", old)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword("not it", old)).toEqual({ ok: false, needsRehash: false });
  });

  it("never matches a missing, malformed or placeholder hash", async () => {
    for (const stored of [
      null,
      UNMATCHABLE_HASH,
      "",
      "bcrypt$12$abc",
      "pbkdf2-sha256$999999999$AA$AA",
      "pbkdf2-sha256$1$!!$!!",
    ]) {
      expect(await verifyPassword("anything", stored)).toEqual({ ok: false, needsRehash: false });
    }
  });
});
