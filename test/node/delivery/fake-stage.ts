// An in-memory stand-in for a deployed stage's API, just the routes the deploy probe walks, with their real statuses.
import type { Fetch } from "../../../infra/vendors/github-api.ts";

export interface FakeStageOptions {
  signupEnabled?: boolean;
  /** A broken release: messages are accepted but never read back. */
  losesMessages?: boolean;
}

export interface FakeStage {
  fetch: Fetch;
  accounts: Map<string, { password: string; id: string }>;
  /** Live credentials (login tokens and API keys) by value. */
  credentials: Map<string, { userId: string; kind: "token" | "key" }>;
  sessions: Map<string, { owner: string; messages: string[] }>;
  /** Every request, as `METHOD /path`. */
  requests: string[];
  addApiKey(email: string, password: string, key: string): void;
}

const json = (status: number, body?: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
const error = (status: number, code: string) => json(status, { error: { code, message: code } });

export function fakeStage(options: FakeStageOptions = {}): FakeStage {
  const accounts = new Map<string, { password: string; id: string }>();
  const credentials = new Map<string, { userId: string; kind: "token" | "key" }>();
  const sessions = new Map<string, { owner: string; messages: string[] }>();
  const requests: string[] = [];
  let next = 1;
  const mint = (userId: string, kind: "token" | "key") => {
    const value = `${kind}-${next++}`;
    credentials.set(value, { userId, kind });
    return value;
  };

  const fetch: Fetch = async (input, init) => {
    const url = new URL(input);
    const method = init?.method ?? "GET";
    const path = url.pathname;
    requests.push(`${method} ${path}`);
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, string>) : {};
    const auth = new Headers(init?.headers).get("authorization")?.replace(/^Bearer /, "") ?? "";
    const user = credentials.get(auth)?.userId;

    if (method === "POST" && path === "/v1/auth/signup") {
      if (options.signupEnabled === false) return error(403, "signup_disabled");
      if (accounts.has(body.email ?? "")) return error(409, "email_taken");
      const id = `user-${next++}`;
      accounts.set(body.email ?? "", { password: body.password ?? "", id });
      return json(201, { token: mint(id, "token") });
    }
    if (method === "POST" && path === "/v1/auth/login") {
      const account = accounts.get(body.email ?? "");
      if (!account || account.password !== body.password) return error(401, "invalid_credentials");
      return json(200, { token: mint(account.id, "token") });
    }
    if (!user) return error(401, "unauthorized");
    if (method === "GET" && path === "/v1/me") return json(200, { user: { id: user } });
    if (method === "POST" && path === "/v1/auth/logout") {
      credentials.delete(auth);
      return json(204);
    }
    if (method === "POST" && path === "/v1/sessions") {
      const id = `session-${next++}`;
      sessions.set(id, { owner: user, messages: [] });
      return json(201, { session: { id } });
    }
    const match = /^\/v1\/sessions\/([^/]+)(\/messages)?$/.exec(path);
    const session = match ? sessions.get(decodeURIComponent(match[1] as string)) : undefined;
    if (!match || !session || session.owner !== user) return error(404, "not_found");
    if (match[2] && method === "POST") {
      if (!options.losesMessages) session.messages.push(body.content ?? "");
      return json(201, { message: { content: body.content } });
    }
    if (match[2] && method === "GET") return json(200, { items: session.messages.map((content) => ({ content })) });
    if (!match[2] && method === "DELETE") {
      sessions.delete(decodeURIComponent(match[1] as string));
      return json(204);
    }
    return error(405, "method_not_allowed");
  };

  return {
    fetch,
    accounts,
    credentials,
    sessions,
    requests,
    addApiKey(email, password, key) {
      const id = `user-${next++}`;
      accounts.set(email, { password, id });
      credentials.set(key, { userId: id, kind: "key" });
    },
  };
}
