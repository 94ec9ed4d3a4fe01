// The data the fuzzer aims at: a user with a session (a task, a message, a member) and an API key,
// a stranger with the same, and a revoked token; and how each documented parameter maps onto them.
import { env } from "cloudflare:workers";
import { bearer, call, postJson, signUpUser, type TestUser, uniqueEmail } from "../../helpers/auth.ts";
import { clientFor, createSession } from "../../helpers/client.ts";
import type { FuzzContext } from "./cases.ts";
import type { Operation } from "./openapi.ts";

export interface Fixtures {
  owner: TestUser;
  friend: TestUser;
  stranger: TestUser;
  revokedToken: string;
  sessionId: string;
  taskId: string;
  apiKeyId: string;
  strangerSessionId: string;
  strangerTaskId: string;
  strangerApiKeyId: string;
}

async function json<T>(res: Response, status: number): Promise<T> {
  if (res.status !== status) throw new Error(`fixture: expected ${status}, got ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Someone with a session, a task, a message, a member and an API key. */
async function userWithData(friend?: TestUser) {
  const user = await signUpUser();
  const session = await createSession(clientFor(user), { title: "fuzzed", metadata: { kept: true } });
  const auth = bearer(user.token);
  const base = `/v1/sessions/${session.id}`;
  const { task } = await json<{ task: { id: string } }>(
    await postJson(`${base}/tasks`, { title: "a task" }, auth),
    201,
  );
  await json(await postJson(`${base}/messages`, { content: "a message" }, auth), 201);
  if (friend) await json(await postJson(`${base}/members`, { email: friend.email, role: "editor" }, auth), 201);
  const key = await json<{ id: string }>(await postJson("/v1/api-keys", { name: "fuzzed key" }, auth), 201);
  return { user, sessionId: session.id, taskId: task.id, apiKeyId: key.id };
}

export async function createFixtures(): Promise<Fixtures> {
  const friend = await signUpUser();
  const mine = await userWithData(friend);
  const theirs = await userWithData();
  const { token: revokedToken } = await json<{ token: string }>(
    await postJson("/v1/auth/login", { email: mine.user.email, password: mine.user.password }),
    200,
  );
  const logout = await call("/v1/auth/logout", { method: "POST", headers: bearer(revokedToken) });
  if (logout.status !== 204) throw new Error(`fixture: logout answered ${logout.status}`);
  return {
    owner: mine.user,
    friend,
    stranger: theirs.user,
    revokedToken,
    sessionId: mine.sessionId,
    taskId: mine.taskId,
    apiKeyId: mine.apiKeyId,
    strangerSessionId: theirs.sessionId,
    strangerTaskId: theirs.taskId,
    strangerApiKeyId: theirs.apiKeyId,
  };
}

/** Real ids for path parameters, by name; a parameter the fuzzer does not know stops the run. */
export function contextFor(f: Fixtures): FuzzContext {
  const isApiKey = (op: Operation) => op.path.startsWith("/v1/api-keys/");
  return {
    token: f.owner.token,
    revokedToken: f.revokedToken,
    maxBodyBytes: Number(env.MAX_BODY_BYTES),
    email: () => uniqueEmail("fuzz"),
    override: (route, property) => {
      if (route.endsWith("/members") && property === "email") return f.friend.email;
      if (route === "POST /v1/auth/login" && property === "email") return f.owner.email;
      if (route === "POST /v1/auth/login" && property === "password") return f.owner.password;
      return null;
    },
    pathValue: (op, name) => {
      if (name === "id") return isApiKey(op) ? f.apiKeyId : f.sessionId;
      if (name === "taskId") return f.taskId;
      if (name === "userId") return f.friend.id;
      throw new Error(`${op.method} ${op.path}: the fuzzer has no fixture for path parameter ${name}`);
    },
    foreignIds: (op, name) => {
      if (name === "id" && isApiKey(op)) {
        return [
          { name: "someone else's API key", value: f.strangerApiKeyId },
          { name: "a session id", value: f.sessionId },
        ];
      }
      if (name === "id") {
        return [
          { name: "someone else's session", value: f.strangerSessionId },
          { name: "an API key id", value: f.apiKeyId },
        ];
      }
      if (name === "taskId") return [{ name: "a task of another session", value: f.strangerTaskId }];
      if (name === "userId") {
        return [
          { name: "a user who is not a member", value: f.stranger.id },
          { name: "the owner", value: f.owner.id },
        ];
      }
      return [];
    },
  };
}
