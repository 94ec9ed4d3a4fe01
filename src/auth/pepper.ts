// The password pepper (the PASSWORD_PEPPER Worker secret) as HMAC-SHA-256 keys, imported once per isolate.
import { toBase64Url } from "../shared/bytes.ts";

export interface Pepper {
  /** A short public fingerprint stored in each hash, so a hash says which pepper made it (rotation). */
  id: string;
  key: CryptoKey;
}

/** What the fingerprint is an HMAC of: fixed, so the same pepper always has the same id. */
const ID_LABEL = "password-pepper-id";
const ID_BYTES = 6;

const peppers = new Map<string, Promise<Pepper>>();

async function importPepper(secret: string): Promise<Pepper> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(ID_LABEL));
  return { id: toBase64Url(new Uint8Array(mac).slice(0, ID_BYTES)), key };
}

/** The key and id of one pepper; the import runs once per pepper and isolate. */
export function pepperOf(secret: string): Promise<Pepper> {
  let pepper = peppers.get(secret);
  if (!pepper) {
    pepper = importPepper(secret);
    peppers.set(secret, pepper);
  }
  return pepper;
}

export async function withPepper(pepper: Pepper, bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", pepper.key, bytes));
}
