// Where the OpenAPI document and the server used to disagree: each promise of the document, checked
// against what the Worker does (issue 15, point 8). The fuzzer checks the rest broadly.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getSessionLimits } from "../../src/config/session-limits.ts";
import { bearer, call, postJson, signUpUser } from "./helpers/auth.ts";
import { clientFor, createSession } from "./helpers/client.ts";
import { callWithVars } from "./helpers/env-override.ts";
import { connect } from "./helpers/sockets.ts";

type Schema = { maxLength?: number; maximum?: number; minProperties?: number; pattern?: string };
type Doc = {
  paths: Record<string, Record<string, { parameters?: { name: string; schema: Schema }[] }>>;
  components: { schemas: Record<string, { properties: Record<string, Schema>; minProperties?: number }> };
};

const document = async (res: Promise<Response>) => (await (await res).json()) as Doc;
const titleOf = (doc: Doc, schema: string) => doc.components.schemas[schema]?.properties.title?.maxLength;

async function ownerWithSession() {
  const user = await signUpUser();
  const session = await createSession(clientFor(user));
  return { user, sessionId: session.id };
}

describe("declared limits are the enforced ones", () => {
  it("titles: maxLength is SESSION_MAX_TITLE_LENGTH, and exactly that many characters pass", async () => {
    const doc = await document(call("/openapi.json"));
    const limit = getSessionLimits(env).titleLength;
    for (const schema of ["CreateSessionRequest", "PatchSessionRequest", "CreateTaskRequest", "PatchTaskRequest"]) {
      expect(titleOf(doc, schema), schema).toBe(limit);
    }
    const { user } = await ownerWithSession();
    const create = (title: string) => postJson("/v1/sessions", { title }, bearer(user.token));
    expect((await create("t".repeat(limit))).status).toBe(201);
    const over = await create("t".repeat(limit + 1));
    expect(over.status).toBe(422);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
  });

  it("a deployment with other limits serves a document that states them", async () => {
    const vars = { SESSION_MAX_TITLE_LENGTH: "37", SESSION_MAX_PAGE_SIZE: "25" };
    const doc = await document(callWithVars(vars, "/openapi.json"));
    expect(titleOf(doc, "CreateTaskRequest")).toBe(37);
    const limit = doc.paths["/v1/sessions/{id}/messages"]?.get?.parameters?.find((p) => p.name === "limit");
    expect(limit?.schema.maximum).toBe(25);
  });
});

describe("what the document says a request may carry", () => {
  it("PATCH bodies need at least one field, and {} is refused as the schema says", async () => {
    const doc = await document(call("/openapi.json"));
    expect(doc.components.schemas.PatchSessionRequest?.minProperties).toBe(1);
    expect(doc.components.schemas.PatchTaskRequest?.minProperties).toBe(1);
    const { user, sessionId } = await ownerWithSession();
    const res = await call(`/v1/sessions/${sessionId}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", ...bearer(user.token) },
      body: "{}",
    });
    expect(res.status).toBe(422);
  });

  it("after, before and since are integers (never null) and a task id states its pattern", async () => {
    const doc = await document(call("/openapi.json"));
    const params = (path: string, method: string) => doc.paths[path]?.[method]?.parameters ?? [];
    const typeOf = (path: string, name: string) =>
      (params(path, "get").find((p) => p.name === name)?.schema as { type?: unknown } | undefined)?.type;
    expect(typeOf("/v1/sessions/{id}/messages", "after")).toBe("integer");
    expect(typeOf("/v1/sessions/{id}/messages", "before")).toBe("integer");
    expect(typeOf("/v1/sessions/{id}/ws", "since")).toBe("integer");
    const taskId = params("/v1/sessions/{id}/tasks/{taskId}", "delete").find((p) => p.name === "taskId");
    expect(taskId?.schema.pattern).toBeDefined();
  });

  it("DELETE with an over-long or non-ASCII id answers the 422 the document declares", async () => {
    const { user, sessionId } = await ownerWithSession();
    for (const id of ["x".repeat(129), "tâche"]) {
      const res = await call(`/v1/sessions/${sessionId}/tasks/${encodeURIComponent(id)}`, {
        method: "DELETE",
        headers: bearer(user.token),
      });
      expect(res.status, id).toBe(422);
    }
    const key = await call(`/v1/api-keys/${"k".repeat(65)}`, { method: "DELETE", headers: bearer(user.token) });
    expect(key.status).toBe(422);
  });

  it("the auth routes refuse unknown body fields, like the session routes", async () => {
    const user = await signUpUser();
    const login = await postJson("/v1/auth/login", { email: user.email, password: user.password, remember: true });
    expect(login.status).toBe(422);
    const signup = await postJson("/v1/auth/signup", { email: `x${user.email}`, password: "long enough pw", admin: 1 });
    expect(signup.status).toBe(422);
  });
});

describe("headers and bodies the document declares", () => {
  it("a failed login's 401 carries WWW-Authenticate like every other 401", async () => {
    const user = await signUpUser();
    const res = await postJson("/v1/auth/login", { email: user.email, password: "wrong password" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("a plain request to /ws gets 426 with Upgrade and the JSON error body", async () => {
    const { user, sessionId } = await ownerWithSession();
    const res = await call(`/v1/sessions/${sessionId}/ws`, { headers: bearer(user.token) });
    expect(res.status).toBe(426);
    expect(res.headers.get("upgrade")).toBe("websocket");
    expect(await res.json()).toEqual({
      error: { code: "upgrade_required", message: "This endpoint only speaks WebSocket." },
    });
  });
});

describe("the ticket exemption from the bearer gate", () => {
  it("covers the upgrade route only: another path ending in /ws with ?ticket= still needs a token", async () => {
    const res = await call("/v1/sessions/ws?ticket=anything");
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });
});

describe("session.updated frames", () => {
  it("carry the fields hello carries, never the counts", async () => {
    const { user, sessionId } = await ownerWithSession();
    const socket = await connect(user, sessionId);
    const raw: string[] = [];
    socket.ws.addEventListener("message", (event) => raw.push(String(event.data)));
    await clientFor(user).v1.sessions[":id"].$patch({ param: { id: sessionId }, json: { title: "Renamed" } });
    const hello = socket.frames.find((frame) => frame.type === "hello");
    await socket.next("session.updated");
    const updated = raw.map((text) => JSON.parse(text)).find((frame) => frame.type === "session.updated");
    expect(Object.keys(updated.session).sort()).toEqual(
      Object.keys(hello?.type === "hello" ? hello.session : {}).sort(),
    );
    expect(updated.session).not.toHaveProperty("messageCount");
  });
});
