// Test helpers for authenticated calls: a fresh user with a login token, and JSON requests through the Worker.
import { exports } from "cloudflare:workers";

export const BASE_URL = "https://api.test";

export interface TestUser {
  id: string;
  email: string;
  name: string | null;
  password: string;
  token: string;
}

/** A unique address per call, so tests never share accounts or rate-limit buckets. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${crypto.randomUUID()}@example.com`;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/**
 * A random address from the IPv6 documentation range, like the CF-Connecting-IP Cloudflare always
 * sets, in a /64 of its own: limits count an IPv6 client by its /64 (src/auth/client-network.ts).
 */
export function randomClientIp(): string {
  const [a, b, c, d] = [...crypto.getRandomValues(new Uint16Array(4))].map((g) => g.toString(16));
  return `2001:db8:${a}:${b}::${c}:${d}`;
}

/**
 * A request through the real Worker entry (middleware, routing, error handling), from its own
 * client IP unless the caller picks one, so per-IP login limits never leak between tests.
 */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  const request = new Request(`${BASE_URL}${path}`, init);
  if (!request.headers.has("cf-connecting-ip")) request.headers.set("cf-connecting-ip", randomClientIp());
  return exports.default.fetch(request);
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Signs up a new user through the API and returns it with its login token. */
export async function signUpUser(
  overrides: { email?: string; password?: string; name?: string } = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? `pw-${crypto.randomUUID()}`;
  const res = await postJson("/v1/auth/signup", { email, password, name: overrides.name });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string; email: string; name: string | null }; token: string };
  return { ...body.user, password, token: body.token };
}
