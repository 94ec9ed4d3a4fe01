// One model, every surface: each field of Message, Task, Session and Member (src/sessions/model.ts)
// reaches the object's RPC results, the REST answers, the OpenAPI document and the socket frames,
// with the model's types. Adding a field without carrying it through fails here (docs/model.md).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionStub, unwrap } from "../../../src/sessions/api/session-stub.ts";
import {
  MemberModel,
  MessageModel,
  SessionInfoModel,
  SessionMetaModel,
  TaskModel,
} from "../../../src/sessions/model.ts";
import { bearer, call, postJson, signUpUser } from "../helpers/auth.ts";
import { share, ticketFor, upgrade, wrap } from "../helpers/sockets.ts";

type Model = { shape: Record<string, unknown>; safeParse: (value: unknown) => { success: boolean; error?: unknown } };

/** What a surface got wrong about a model: fields missing, fields it adds, values of the wrong type. */
function mismatch(model: Model, value: unknown, extra: readonly string[] = []) {
  const fields = Object.keys(model.shape);
  const keys = Object.keys(value as object);
  const parsed = model.safeParse(value);
  return {
    missing: fields.filter((field) => !keys.includes(field)),
    unexpected: keys.filter((key) => !fields.includes(key) && !extra.includes(key)),
    typesMatch: parsed.success ? true : parsed.error,
  };
}
const MATCHES = { missing: [], unexpected: [], typesMatch: true };

async function json<T>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function populatedSession() {
  const owner = await signUpUser({ name: "Owner" });
  const viewer = await signUpUser({ name: "Viewer" });
  const auth = bearer(owner.token);
  const { session } = await json<{ session: { id: string } }>(
    await postJson("/v1/sessions", { title: "Model", metadata: { topic: "fields" } }, auth),
    201,
  );
  const id = session.id;
  await json(await postJson(`/v1/sessions/${id}/messages`, { content: "hello", metadata: { a: 1 } }, auth), 201);
  const { task } = await json<{ task: { id: string } }>(
    await postJson(`/v1/sessions/${id}/tasks`, { title: "Write" }, auth),
    201,
  );
  // A completed task carries every timestamp the model has.
  await json(await call(`/v1/sessions/${id}/tasks/${task.id}`, jsonPatch({ status: "completed" }, auth)));
  await share(owner, id, viewer, "viewer");
  return { owner, viewer, auth, id };
}

const jsonPatch = (body: unknown, headers: Record<string, string>): RequestInit => ({
  method: "PATCH",
  headers: { ...headers, "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("every field of the model reaches every surface", () => {
  it("the object's RPC results", async () => {
    const { id } = await populatedSession();
    const stub = sessionStub(env, id);
    expect(mismatch(SessionInfoModel, unwrap(await stub.getSessionMeta()))).toEqual(MATCHES);
    const [message] = unwrap(await stub.listMessages()).messages;
    expect(mismatch(MessageModel, message)).toEqual(MATCHES);
    const [task] = unwrap(await stub.listTasks());
    expect(mismatch(TaskModel, task)).toEqual(MATCHES);
  });

  it("the REST answers", async () => {
    const { auth, id } = await populatedSession();
    const { session } = await json<{ session: unknown }>(await call(`/v1/sessions/${id}`, { headers: auth }));
    expect(mismatch(SessionInfoModel, session, ["role"])).toEqual(MATCHES);
    const messages = await json<{ items: unknown[] }>(await call(`/v1/sessions/${id}/messages`, { headers: auth }));
    expect(mismatch(MessageModel, messages.items[0])).toEqual(MATCHES);
    const tasks = await json<{ items: unknown[] }>(await call(`/v1/sessions/${id}/tasks`, { headers: auth }));
    expect(mismatch(TaskModel, tasks.items[0])).toEqual(MATCHES);
    const members = await json<{ items: unknown[] }>(await call(`/v1/sessions/${id}/members`, { headers: auth }));
    for (const member of members.items) expect(mismatch(MemberModel, member)).toEqual(MATCHES);
  });

  it("the socket frames", async () => {
    const { owner, auth, id } = await populatedSession();
    const socket = wrap(await upgrade(`/v1/sessions/${id}/ws?ticket=${await ticketFor(owner, id)}`));
    // The raw frames: the test helper's parsed ones would hide a field the server adds.
    const raw: Record<string, unknown>[] = [];
    socket.ws.addEventListener("message", (event) => raw.push(JSON.parse(event.data as string)));
    const rawFrame = async (type: string) => {
      await socket.next(type as "hello");
      return raw.find((frame) => frame.type === type) as Record<string, unknown>;
    };
    expect(mismatch(SessionMetaModel, (await rawFrame("hello")).session)).toEqual(MATCHES);
    await postJson(`/v1/sessions/${id}/messages`, { content: "live" }, auth);
    expect(mismatch(MessageModel, (await rawFrame("message.created")).message)).toEqual(MATCHES);
    await postJson(`/v1/sessions/${id}/tasks`, { title: "Live" }, auth);
    expect(mismatch(TaskModel, (await rawFrame("task.created")).task)).toEqual(MATCHES);
    await call(`/v1/sessions/${id}`, jsonPatch({ title: "Renamed" }, auth));
    expect(mismatch(SessionMetaModel, (await rawFrame("session.updated")).session)).toEqual(MATCHES);
  });

  it("the OpenAPI document", async () => {
    const document = await json<{
      components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
    }>(await call("/openapi.json"));
    const documented = (name: string) => {
      const schema = document.components.schemas[name];
      if (!schema) throw new Error(`no ${name} in the document`);
      return { properties: Object.keys(schema.properties).sort(), required: [...(schema.required ?? [])].sort() };
    };
    const fieldsOf = (model: Model, ...extra: string[]) => [...Object.keys(model.shape), ...extra].sort();
    expect(documented("Message")).toEqual({ properties: fieldsOf(MessageModel), required: fieldsOf(MessageModel) });
    expect(documented("Task")).toEqual({ properties: fieldsOf(TaskModel), required: fieldsOf(TaskModel) });
    expect(documented("Member")).toEqual({ properties: fieldsOf(MemberModel), required: fieldsOf(MemberModel) });
    const session = fieldsOf(SessionInfoModel, "role");
    expect(documented("Session")).toEqual({ properties: session, required: session });
  });
});

describe("the comparison itself", () => {
  it("names a missing field, an added one and a wrong type", () => {
    const message = { id: "m", seq: 1, role: "user", content: "x", metadata: {}, authorId: "u" };
    expect(mismatch(MessageModel, { ...message, secret: 1 })).toMatchObject({
      missing: ["createdAt"],
      unexpected: ["secret"],
    });
    expect(mismatch(MessageModel, { ...message, createdAt: "yesterday" }).typesMatch).not.toBe(true);
    expect(mismatch(MessageModel, { ...message, createdAt: "2026-01-01T00:00:00.000Z" })).toEqual(MATCHES);
  });
});
