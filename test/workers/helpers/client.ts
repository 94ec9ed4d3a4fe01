// The typed `hc` client over the real Worker entry, authenticated as a given user.
import { hc } from "hono/client";
import type { App } from "../../../src/index.ts";
import { BASE_URL, bearer, call, signUpUser, type TestUser } from "./auth.ts";

export function clientFor(user: TestUser | null) {
  return hc<App>(BASE_URL, {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      call(new URL(String(input)).pathname + new URL(String(input)).search, init),
    headers: user ? bearer(user.token) : {},
  });
}

export type Client = ReturnType<typeof clientFor>;

export async function userWithClient(name?: string) {
  const user = await signUpUser(name ? { name } : {});
  return { user, api: clientFor(user) };
}

/** Creates a session through the API and returns its id. */
export async function createSession(api: Client, body: Parameters<Client["v1"]["sessions"]["$post"]>[0]["json"] = {}) {
  const res = await api.v1.sessions.$post({ json: body });
  if (res.status !== 201) throw new Error(`create session failed: ${res.status} ${await res.text()}`);
  const { session } = await res.json();
  return session;
}
