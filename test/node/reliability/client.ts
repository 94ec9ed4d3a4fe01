// HTTP calls the reliability tests make against the running stack, each one reporting what happened
// rather than throwing, so a test can tell an acknowledgement from a refusal from no answer at all.

import { WAIT_MS } from "../../helpers/patience.ts";
import type { Outcome, StoredMessage } from "./append-ledger.ts";

export interface Caller {
  base: string;
  token: string;
}

async function send(
  caller: Caller,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${caller.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${caller.token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(WAIT_MS),
  });
  return { status: res.status, text: await res.text() };
}

async function expectJson<T>(caller: Caller, method: string, path: string, status: number, body?: unknown): Promise<T> {
  const res = await send(caller, method, path, body);
  if (res.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${res.status} ${res.text}`);
  return JSON.parse(res.text) as T;
}

/** One append with its Idempotency-Key; a 2xx with the message is an acknowledgement. */
export async function append(caller: Caller, sessionId: string, key: string, content: string): Promise<Outcome> {
  try {
    const res = await send(
      caller,
      "POST",
      `/v1/sessions/${sessionId}/messages`,
      { content },
      { "idempotency-key": key },
    );
    if (res.status === 200 || res.status === 201) {
      const { message } = JSON.parse(res.text) as { message: { id: string; seq: number } };
      return { kind: "acked", id: message.id, seq: message.seq };
    }
    return { kind: "refused", status: res.status, body: res.text.slice(0, 200) };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { kind: "unknown", error: `${String(error)}${cause}` };
  }
}

/** Every message of a session, paging forward. */
export async function readMessages(caller: Caller, sessionId: string): Promise<StoredMessage[]> {
  const all: StoredMessage[] = [];
  let query = "limit=200";
  for (;;) {
    const page = await expectJson<{ items: StoredMessage[]; nextCursor: string | null }>(
      caller,
      "GET",
      `/v1/sessions/${sessionId}/messages?${query}`,
      200,
    );
    all.push(...page.items);
    if (page.nextCursor === null) return all;
    query = `limit=200&cursor=${encodeURIComponent(page.nextCursor)}`;
  }
}

export interface IndexRow {
  id: string;
  messageCount: number;
  lastMessageAt: string | null;
}

/** The caller's sessions as the D1 index has them (GET /v1/sessions reads only D1). */
export async function readIndex(caller: Caller): Promise<Map<string, IndexRow>> {
  const { items } = await expectJson<{ items: IndexRow[] }>(caller, "GET", "/v1/sessions?limit=200", 200);
  return new Map(items.map((row) => [row.id, row]));
}

export async function share(owner: Caller, sessionId: string, email: string, role: "editor" | "viewer") {
  await expectJson(owner, "POST", `/v1/sessions/${sessionId}/members`, 201, { email, role });
}

export async function me(caller: Caller): Promise<{ id: string; email: string }> {
  return (await expectJson<{ user: { id: string; email: string } }>(caller, "GET", "/v1/me", 200)).user;
}
