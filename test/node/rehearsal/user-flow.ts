// What a user does against a deployed stage, through its workers.dev URL: health, then signup → session → message → read back.
import { randomUUID } from "node:crypto";
import { GATEWAY_HOST_HEADER } from "./cloudflare-double/index.ts";

/** A deployed stage reached the way a client reaches it: by its workers.dev URL (served by the double's gateway). */
export interface StageClient {
  url: string;
  request(path: string, init?: { method?: string; token?: string; body?: unknown }): Promise<Response>;
}

export function stageClient(workersDevUrl: string, gatewayUrl: string): StageClient {
  const { hostname } = new URL(workersDevUrl);
  return {
    url: workersDevUrl,
    request(path, { method = "GET", token, body } = {}) {
      const headers: Record<string, string> = { [GATEWAY_HOST_HEADER]: hostname };
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      return fetch(new URL(path, gatewayUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
  };
}

async function json<T>(response: Response, what: string, ...statuses: number[]): Promise<T> {
  const text = await response.text();
  if (!statuses.includes(response.status)) {
    throw new Error(`${what}: expected ${statuses.join(" or ")}, got ${response.status}: ${text}`);
  }
  return JSON.parse(text) as T;
}

export async function health(client: StageClient): Promise<{ ok: boolean; stage: string; version: string }> {
  return json(await client.request("/health"), "GET /health", 200);
}

/** The routes the user flow walks through, as the deployed stage's OpenAPI document must list them. */
const USER_FLOW_ROUTES = [/^\/v1\/auth\/signup$/, /^\/v1\/sessions$/, /^\/v1\/sessions\/\{[^}]+\}\/messages$/];

export async function hasUserFlowRoutes(client: StageClient): Promise<boolean> {
  const doc = await json<{ paths?: Record<string, unknown> }>(await client.request("/openapi.json"), "openapi", 200);
  const paths = Object.keys(doc.paths ?? {});
  return USER_FLOW_ROUTES.every((route) => paths.some((path) => route.test(path)));
}

export interface UserFlowResult {
  token: string;
  sessionId: string;
  content: string;
}

/** Signs up, opens a session and posts a message; every id and address is new, so stages never share data. */
export async function runUserFlow(client: StageClient): Promise<UserFlowResult> {
  const email = `rehearsal-${randomUUID()}@example.com`;
  const { token } = await json<{ token: string }>(
    await client.request("/v1/auth/signup", {
      method: "POST",
      body: { email, password: `pw-${randomUUID()}`, name: "Rehearsal" },
    }),
    "signup",
    201,
  );
  const { session } = await json<{ session: { id: string } }>(
    await client.request("/v1/sessions", { method: "POST", token, body: { title: "deploy rehearsal" } }),
    "create session",
    201,
  );
  const content = `hello from the rehearsal ${randomUUID()}`;
  await json<{ message: unknown }>(
    await client.request(`/v1/sessions/${session.id}/messages`, { method: "POST", token, body: { content } }),
    "post message",
    201,
  );
  return { token, sessionId: session.id, content };
}

/** The message contents of a session, oldest first, as its owner reads them back. */
export async function readMessages(client: StageClient, flow: UserFlowResult): Promise<string[]> {
  const { items } = await json<{ items: { content: string }[] }>(
    await client.request(`/v1/sessions/${flow.sessionId}/messages`, { token: flow.token }),
    "list messages",
    200,
  );
  return items.map((item) => item.content);
}
