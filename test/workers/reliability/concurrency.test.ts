// Concurrency through the real Worker entry: a thousand appends racing into one session get exactly
// seqs 1..1000, and concurrent retries with one Idempotency-Key create one message, never two.
import { describe, expect, it } from "vitest";
import { prng } from "../../helpers/prng.ts";
import { bearer, call, postJson, type TestUser } from "../helpers/auth.ts";
import { createSession, userWithClient } from "../helpers/client.ts";
import { config } from "../helpers/config.ts";

interface Message {
  id: string;
  seq: number;
  content: string;
}

const messagesPath = (sessionId: string) => `/v1/sessions/${sessionId}/messages`;

async function append(user: TestUser, sessionId: string, content: string, key?: string) {
  const headers = { ...bearer(user.token), ...(key === undefined ? {} : { "idempotency-key": key }) };
  const res = await postJson(messagesPath(sessionId), { content }, headers);
  const body = (await res.json()) as { message?: Message; error?: { code: string } };
  return { status: res.status, message: body.message, error: body.error };
}

/** Every message of the session, oldest first, paging forward with nextCursor. */
async function readAll(user: TestUser, sessionId: string): Promise<Message[]> {
  const all: Message[] = [];
  let query = `limit=${config.SESSION_MAX_PAGE_SIZE}`;
  for (;;) {
    const res = await call(`${messagesPath(sessionId)}?${query}`, { headers: bearer(user.token) });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: Message[]; nextCursor: string | null };
    all.push(...page.items);
    if (page.nextCursor === null) return all;
    query = `limit=${config.SESSION_MAX_PAGE_SIZE}&cursor=${encodeURIComponent(page.nextCursor)}`;
  }
}

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function ownerWithSession() {
  const { user, api } = await userWithClient();
  const session = await createSession(api, { title: "concurrency" });
  // One read first, so the racing writes meet a warm membership cache instead of all asking D1 at once.
  await readAll(user, session.id);
  return { user, sessionId: session.id };
}

describe("concurrent appends", { timeout: 60_000 }, () => {
  it("1,000 at once to one session get exactly seqs 1..1000, each once, as acknowledged", async () => {
    const { user, sessionId } = await ownerWithSession();
    const contents = Array.from({ length: 1000 }, (_, i) => `concurrent ${i}`);
    const results = await Promise.all(contents.map((content) => append(user, sessionId, content)));

    expect(results.filter((result) => result.status !== 201)).toEqual([]);
    const acknowledged = results.map((result) => result.message as Message);
    expect(acknowledged.map((message) => message.seq).sort((a, b) => a - b)).toEqual(oneTo(1000));

    const stored = await readAll(user, sessionId);
    expect(stored.map((message) => message.seq)).toEqual(oneTo(1000));
    const bySeq = new Map(stored.map((message) => [message.seq, message]));
    for (const [i, message] of acknowledged.entries()) {
      expect(bySeq.get(message.seq)).toMatchObject({ id: message.id, content: contents[i] });
    }
  });

  it("concurrent retries of one Idempotency-Key create one message; the rest replay it", async () => {
    const { user, sessionId } = await ownerWithSession();
    const keys = Array.from({ length: 200 }, (_, i) => `retry-${i}`);
    const attempts = prng(9).shuffle(keys.flatMap((key) => Array.from({ length: 5 }, () => key)));
    const results = await Promise.all(attempts.map((key) => append(user, sessionId, `body of ${key}`, key)));

    const byKey = new Map<string, typeof results>();
    for (const [i, key] of attempts.entries()) byKey.set(key, [...(byKey.get(key) ?? []), results[i] as never]);
    for (const [key, answers] of byKey) {
      expect(answers.map((answer) => answer.status).sort(), key).toEqual([200, 200, 200, 200, 201]);
      expect(new Set(answers.map((answer) => answer.message?.id)).size, key).toBe(1);
      expect(new Set(answers.map((answer) => answer.message?.seq)).size, key).toBe(1);
    }
    const stored = await readAll(user, sessionId);
    expect(stored.map((message) => message.seq)).toEqual(oneTo(200));
    expect(new Set(stored.map((message) => message.content)).size).toBe(200);
  });

  it("a key raced with two different bodies stores one of them and answers the other 409", async () => {
    const { user, sessionId } = await ownerWithSession();
    const attempts = Array.from({ length: 100 }, (_, i) => ({ key: `race-${i % 20}`, body: `variant ${i % 2}` }));
    const results = await Promise.all(attempts.map(({ key, body }) => append(user, sessionId, `${key} ${body}`, key)));

    for (const result of results) expect([200, 201, 409]).toContain(result.status);
    expect(results.filter((result) => result.status === 201)).toHaveLength(20);
    for (const result of results.filter((r) => r.status === 409))
      expect(result.error?.code).toBe("idempotency_conflict");
    const stored = await readAll(user, sessionId);
    expect(stored.map((message) => message.seq)).toEqual(oneTo(20));
  });
});
