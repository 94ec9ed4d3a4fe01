// Password hashes: self-describing PBKDF2-SHA256 keyed by the pepper, random salts, rotation, weaker hashes upgraded.
import { describe, expect, it } from "vitest";
import { hashPassword, PBKDF2_ITERATIONS, UNMATCHABLE_HASH, verifyPassword } from "../../../src/auth/passwords.ts";
import { fromBase64Url, toBase64Url } from "../../../src/shared/bytes.ts";

const pepper = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(
    await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256),
  );
}

/** A hash as stored before PASSWORD_PEPPER existed. */
async function unpepperedHash(password: string, iterations: number): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return `pbkdf2-sha256$${iterations}$${toBase64Url(salt)}$${toBase64Url(await pbkdf2(password, salt, iterations))}`;
}

describe("passwords", () => {
  const current = pepper();

  it("hashes at the Workers maximum with a fresh salt each time, naming the pepper that keyed it", async () => {
    const [a, b] = await Promise.all([
      hashPassword("same password", [current]),
      hashPassword("same password", [current]),
    ]);
    const [scheme, pepperId, iterations] = a.split("$");
    expect([scheme, iterations]).toEqual(["pbkdf2-sha256-pepper", String(PBKDF2_ITERATIONS)]);
    expect(pepperId).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(b.split("$")[1]).toBe(pepperId);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password", a, [current])).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword("same password", b, [current])).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPassword("other password", a, [current])).ok).toBe(false);
  });

  it("stores something a D1 dump alone cannot check a guess against: the PBKDF2 output keyed by the pepper", async () => {
    const stored = await hashPassword("guessable password", [current]);
    const [, , iterations = "", salt = "", hash] = stored.split("$");
    const withoutPepper = await pbkdf2("guessable password", fromBase64Url(salt), Number(iterations));
    expect(toBase64Url(withoutPepper)).not.toBe(hash);
    // The same password under another pepper does not verify either.
    expect((await verifyPassword("guessable password", stored, [pepper()])).ok).toBe(false);
  });

  it("accepts an unpeppered or weaker hash and asks for a rehash", async () => {
    const old = await unpepperedHash("an older password", 10_000);
    expect(await verifyPassword("an older password", old, [current])).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword("not it", old, [current])).toEqual({ ok: false, needsRehash: false });
    const unpeppered = await unpepperedHash("an older password", PBKDF2_ITERATIONS);
    expect(await verifyPassword("an older password", unpeppered, [current])).toEqual({ ok: true, needsRehash: true });
  });

  it("rotates: a hash under a pepper still listed verifies and asks for a rehash; an unlisted one is refused and flagged", async () => {
    const previous = pepper();
    const stored = await hashPassword("rotated password", [previous]);
    expect(await verifyPassword("rotated password", stored, [current, previous])).toEqual({
      ok: true,
      needsRehash: true,
    });
    expect(await verifyPassword("rotated password", stored, [current])).toEqual({
      ok: false,
      needsRehash: false,
      unknownPepper: true,
    });
  });

  it("never matches a missing, malformed or placeholder hash", async () => {
    for (const stored of [
      null,
      UNMATCHABLE_HASH,
      "",
      "bcrypt$12$abc",
      "pbkdf2-sha256$999999999$AA$AA",
      "pbkdf2-sha256$1$!!$!!",
      "pbkdf2-sha256-pepper$$100000$AA$AA",
      "pbkdf2-sha256-pepper$100000$AA$AA",
    ]) {
      expect(await verifyPassword("anything", stored, [current])).toEqual({ ok: false, needsRehash: false });
    }
  });
});
