// The API as a client sees it: sign up, create a session, append, read, get a WebSocket ticket. Also
// tells whether the routes exist yet (from the OpenAPI document), so a partial API is skipped cleanly.

export interface Account {
  base: string;
  token: string;
  userId: string;
}

/** The routes each group of workloads needs, as OpenAPI paths. */
const REQUIRED_PATHS = {
  rest: ["/v1/auth/signup", "/v1/sessions", "/v1/sessions/{id}/messages"],
  realtime: ["/v1/sessions/{id}/ws-ticket"],
} as const;

async function call<T>(base: string, path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body) headers.set("content-type", "application/json");
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  const response = await fetch(`${base}${path}`, { ...init, headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Per group, the paths the running Worker does not document yet (empty when it is ready). */
export async function missingRoutes(base: string): Promise<{ rest: string[]; realtime: string[] }> {
  const doc = await call<{ paths?: Record<string, unknown> }>(base, "/openapi.json");
  const paths = Object.keys(doc.paths ?? {}).map((path) => path.replace(/\{[^}]+\}/g, "{id}"));
  const missing = (required: readonly string[]) => required.filter((path) => !paths.includes(path));
  return { rest: missing(REQUIRED_PATHS.rest), realtime: missing(REQUIRED_PATHS.realtime) };
}

export async function signUp(base: string): Promise<Account> {
  const id = crypto.randomUUID();
  const body = JSON.stringify({ email: `bench-${id}@example.com`, password: `pw-${id}`, name: "Bench" });
  const { token, user } = await call<{ token: string; user: { id: string } }>(base, "/v1/auth/signup", {
    method: "POST",
    body,
  });
  return { base, token, userId: user.id };
}

export async function createSession(account: Account, title: string): Promise<string> {
  const { session } = await call<{ session: { id: string } }>(account.base, "/v1/sessions", {
    method: "POST",
    token: account.token,
    body: JSON.stringify({ title }),
  });
  return session.id;
}

export const messagesPath = (sessionId: string) => `/v1/sessions/${sessionId}/messages`;

export async function appendMessage(account: Account, sessionId: string, content: string) {
  const { message } = await call<{ message: { id: string; seq: number } }>(account.base, messagesPath(sessionId), {
    method: "POST",
    token: account.token,
    body: JSON.stringify({ content }),
  });
  return message;
}

/** The latest page (`latest=true`; without it the list starts at the oldest message). */
export const recentPath = (sessionId: string, limit: number) => `${messagesPath(sessionId)}?latest=true&limit=${limit}`;

export async function recentMessages(account: Account, sessionId: string, limit: number) {
  return call<{ items: { seq: number }[]; nextCursor: unknown }>(account.base, recentPath(sessionId, limit), {
    token: account.token,
  });
}

export async function socketUrl(account: Account, sessionId: string): Promise<string> {
  const { ticket } = await call<{ ticket: string }>(account.base, `/v1/sessions/${sessionId}/ws-ticket`, {
    method: "POST",
    token: account.token,
  });
  const url = new URL(`/v1/sessions/${sessionId}/ws`, account.base);
  url.protocol = "ws:";
  url.searchParams.set("ticket", ticket);
  return url.href;
}
