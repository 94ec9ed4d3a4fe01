// Shared setup for the session route tests: messages and members through the API, index flushes.
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { sessionStub, unwrap } from "../../../../src/sessions/api/session-stub.ts";
import type { TestUser } from "../../helpers/auth.ts";
import { type Client, createSession, userWithClient } from "../../helpers/client.ts";

/** Appends messages in order through the API and returns them (no header: Idempotency-Key is optional for hc too). */
export async function appendMessages(api: Client, id: string, contents: string[]) {
  const messages = [];
  for (const content of contents) {
    const res = await api.v1.sessions[":id"].messages.$post({ param: { id }, json: { content } });
    if (res.status !== 201) expect.unreachable(`append returned ${res.status}`);
    messages.push((await res.json()).message);
  }
  return messages;
}

/** `n` messages with contents "m1" … "mN". */
export const numbered = (n: number) => Array.from({ length: n }, (_, i) => `m${i + 1}`);

export async function share(owner: Client, id: string, user: TestUser, role: "editor" | "viewer") {
  const res = await owner.v1.sessions[":id"].members.$post({ param: { id }, json: { email: user.email, role } });
  if (res.status !== 201) expect.unreachable(`share returned ${res.status}`);
  return (await res.json()).member;
}

/** An owner with a session, and a second user holding `role` in it. */
export async function sharedSession(role: "editor" | "viewer") {
  const owner = await userWithClient("Owner");
  const member = await userWithClient(role);
  const session = await createSession(owner.api, { title: `Shared with a ${role}` });
  await share(owner.api, session.id, member.user, role);
  return { owner, member, id: session.id };
}

/** What the object's alarm does a few seconds after a change: refresh the session's D1 index row. */
export async function flushIndex(id: string) {
  unwrap(await sessionStub(env, id).flushIndexNow());
}

/** Timestamps in the index are milliseconds; make sure the next change lands on a later one. */
export const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 2));

/** True when the namespace holds storage for the object named `sessionId`. */
export async function objectExists(sessionId: string): Promise<boolean> {
  const wanted = env.SESSIONS.idFromName(sessionId);
  return (await listDurableObjectIds(env.SESSIONS)).some((id) => id.equals(wanted));
}

/** An id in the Worker's format that no session has. */
export function randomSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `ses_${btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "")}`;
}
