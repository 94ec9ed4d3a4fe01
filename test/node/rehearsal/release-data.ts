// Data a user writes through a stage's API before an upgrade or a rollback, and the check that all of it is still served.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { StageClient } from "./user-flow.ts";

export interface WrittenData {
  email: string;
  password: string;
  token: string;
  apiKey: string;
  sessionId: string;
  messages: string[];
  taskTitle: string;
}

async function send<T>(client: StageClient, what: string, status: number, path: string, init = {}): Promise<T> {
  const response = await client.request(path, init);
  const text = await response.text();
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Signup, an API key, a session with two messages and a task: one of each kind of record the stage keeps. */
export async function writeData(client: StageClient): Promise<WrittenData> {
  const email = `release-${randomUUID()}@example.com`;
  const password = `pw-${randomUUID()}`;
  const { token } = await send<{ token: string }>(client, "signup", 201, "/v1/auth/signup", {
    method: "POST",
    body: { email, password, name: "Release" },
  });
  const { key: apiKey } = await send<{ key: string }>(client, "create API key", 201, "/v1/api-keys", {
    method: "POST",
    token,
    body: { name: "upgrade rehearsal" },
  });
  const { session } = await send<{ session: { id: string } }>(client, "create session", 201, "/v1/sessions", {
    method: "POST",
    token,
    body: { title: "written by the previous release" },
  });
  const messages = [`first ${randomUUID()}`, `second ${randomUUID()}`];
  for (const content of messages) {
    await send(client, "post message", 201, `/v1/sessions/${session.id}/messages`, {
      method: "POST",
      token,
      body: { content },
    });
  }
  const taskTitle = `task ${randomUUID()}`;
  await send(client, "create task", 201, `/v1/sessions/${session.id}/tasks`, {
    method: "POST",
    token,
    body: { title: taskTitle },
  });
  return { email, password, token, apiKey, sessionId: session.id, messages, taskTitle };
}

/** Every record written earlier, read back through each credential, and a password login that still works. */
export async function expectDataServed(client: StageClient, data: WrittenData, extraMessages: string[] = []) {
  const { token: freshToken } = await send<{ token: string }>(client, "login", 200, "/v1/auth/login", {
    method: "POST",
    body: { email: data.email, password: data.password },
  });
  for (const token of [data.token, data.apiKey, freshToken]) {
    const me = await send<{ user: { email: string } }>(client, "me", 200, "/v1/me", { token });
    expect(me.user.email).toBe(data.email);
    const sessions = await send<{ items: { id: string }[] }>(client, "list sessions", 200, "/v1/sessions", { token });
    expect(sessions.items.map((item) => item.id)).toContain(data.sessionId);
    const { items } = await send<{ items: { content: string }[] }>(
      client,
      "list messages",
      200,
      `/v1/sessions/${data.sessionId}/messages`,
      { token },
    );
    expect(items.map((item) => item.content)).toEqual([...data.messages, ...extraMessages]);
    const tasks = await send<{ items: { title: string }[] }>(
      client,
      "list tasks",
      200,
      `/v1/sessions/${data.sessionId}/tasks`,
      { token },
    );
    expect(tasks.items.map((task) => task.title)).toEqual([data.taskTitle]);
  }
}

/** Posts a message as the data's owner; the status tells whether the stage's code could serve the session. */
export async function postMessage(client: StageClient, data: WrittenData, content: string): Promise<Response> {
  return client.request(`/v1/sessions/${data.sessionId}/messages`, {
    method: "POST",
    token: data.token,
    body: { content },
  });
}
