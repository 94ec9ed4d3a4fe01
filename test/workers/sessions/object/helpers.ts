// Shared setup for SessionDO tests: fresh ids, the D1 rows the Worker would insert, typed stubs.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { sessionStub } from "../../../../src/sessions/api/session-stub.ts";
import type { Result } from "../../../../src/sessions/object/result.ts";
import type { SessionDO } from "../../../../src/sessions/object/session-do.ts";

export const newId = (prefix: string) => `${prefix}_${crypto.randomUUID()}`;

export function stubFor(sessionId: string) {
  return sessionStub(env, sessionId);
}

/** Narrows a result to its value, failing the test with the error when it is not ok. */
export function expectOk<T>(result: Result<T>): T {
  if (!result.ok) expect.fail(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export function expectError(result: Result<unknown>, code: string, status: number) {
  if (result.ok) expect.fail(`expected ${code}, got ok`);
  expect(result.error).toMatchObject({ code, status });
  return result.error;
}

export async function createUser(): Promise<string> {
  const id = newId("usr");
  const now = Date.now();
  await env.DB.prepare("INSERT INTO users (id, email, created_at, updated_at) VALUES (?, ?, ?, ?)")
    .bind(id, `${id}@example.test`, now, now)
    .run();
  return id;
}

/** The D1 index row the Worker inserts when it creates a session. */
export async function insertIndexRow(id: string, ownerId: string, title: string | null, at = Date.now()) {
  await env.DB.prepare(
    "INSERT INTO sessions (id, owner_id, title, created_at, updated_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?)",
  )
    .bind(id, ownerId, title, at, at, at)
    .run();
}

/** What the Worker does when a session is created: the owner, the index row, then the object. */
export async function createSession(options: { title?: string } = {}) {
  const ownerId = await createUser();
  const id = newId("ses");
  await insertIndexRow(id, ownerId, options.title ?? null);
  const stub = stubFor(id);
  expectOk(await stub.initSession({ id, ownerId, ...options }));
  return { id, ownerId, stub };
}

export type SessionStubT = ReturnType<typeof stubFor>;

/** runInDurableObject with the instance typed as the SessionDO it is. */
export function inSession<R>(
  stub: SessionStubT,
  body: (instance: SessionDO, state: DurableObjectState) => R | Promise<R>,
): Promise<R> {
  return runInDurableObject(stub, (instance, state) => body(instance as unknown as SessionDO, state));
}

export async function indexRow(sessionId: string) {
  return env.DB.prepare(
    "SELECT title, message_count, open_task_count, last_message_at, last_activity_at, index_version FROM sessions WHERE id = ?",
  )
    .bind(sessionId)
    .first<{
      title: string | null;
      message_count: number;
      open_task_count: number;
      last_message_at: number | null;
      last_activity_at: number;
      index_version: number;
    }>();
}

/** The object's own tables, ignoring the runtime's internal ones. */
export function userTables(stub: SessionStubT): Promise<string[]> {
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY name",
      )
      .toArray()
      .map((row) => row.name),
  );
}

export async function append(stub: SessionStubT, authorId: string, content: string, extra: object = {}) {
  return expectOk(await stub.appendMessage({ authorId, content, ...extra }));
}
