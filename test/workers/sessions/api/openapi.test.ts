// The session routes in /openapi.json: every route, its security, parameters, schemas and error responses.
import { describe, expect, it } from "vitest";
import { call } from "../../helpers/auth.ts";

interface Operation {
  tags?: string[];
  security?: unknown;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<
    string,
    {
      description: string;
      content?: Record<string, { schema: { $ref?: string }; examples?: Record<string, { value: unknown }> }>;
    }
  >;
}

type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

const ref = (name: string) => `#/components/schemas/${name}`;

const AUTH = ["unauthorized", "email_not_verified", "identity_conflict"];
const BODY = ["bad_request", "payload_too_large", "unsupported_media_type", "validation_failed"];
const ACCESS = ["not_found", "forbidden"];
const OBJECT = ["session_not_found", "session_schema_too_new"];

/** Each route with its success response and every error code it can answer (from the catalogue). */
const ROUTES = {
  "post /v1/sessions": {
    ok: { 201: "SessionResponse" },
    errors: [...AUTH, ...BODY, "session_limit", "metadata_too_large"],
    body: "CreateSessionRequest",
  },
  "get /v1/sessions": { ok: { 200: "SessionList" }, errors: [...AUTH, "bad_request", "validation_failed"] },
  "get /v1/sessions/{id}": { ok: { 200: "SessionResponse" }, errors: [...AUTH, ...ACCESS, ...OBJECT] },
  "patch /v1/sessions/{id}": {
    ok: { 200: "SessionResponse" },
    errors: [...AUTH, ...BODY, ...ACCESS, ...OBJECT, "metadata_too_large"],
    body: "PatchSessionRequest",
  },
  "delete /v1/sessions/{id}": { ok: { 204: null }, errors: [...AUTH, ...ACCESS, ...OBJECT] },
  "get /v1/sessions/{id}/export": { ok: { 200: null }, errors: [...AUTH, ...ACCESS, ...OBJECT] },
  "post /v1/sessions/{id}/messages": {
    ok: { 201: "MessageResponse", 200: "MessageResponse" },
    errors: [
      ...AUTH,
      ...BODY,
      ...ACCESS,
      ...OBJECT,
      "message_role_forbidden",
      "idempotency_conflict",
      "content_too_large",
      "metadata_too_large",
    ],
    body: "CreateMessageRequest",
  },
  "get /v1/sessions/{id}/messages": {
    ok: { 200: "MessageList" },
    errors: [...AUTH, ...ACCESS, ...OBJECT, "bad_request", "validation_failed"],
  },
  "post /v1/sessions/{id}/tasks": {
    ok: { 201: "TaskResponse" },
    errors: [...AUTH, ...BODY, ...ACCESS, ...OBJECT, "task_limit"],
    body: "CreateTaskRequest",
  },
  "get /v1/sessions/{id}/tasks": {
    ok: { 200: "TaskList" },
    errors: [...AUTH, ...ACCESS, ...OBJECT, "validation_failed"],
  },
  "patch /v1/sessions/{id}/tasks/{taskId}": {
    ok: { 200: "TaskResponse" },
    errors: [...AUTH, ...BODY, ...ACCESS, ...OBJECT, "task_not_found"],
    body: "PatchTaskRequest",
  },
  "delete /v1/sessions/{id}/tasks/{taskId}": {
    ok: { 204: null },
    errors: [...AUTH, ...ACCESS, ...OBJECT, "task_not_found", "validation_failed"],
  },
  "post /v1/sessions/{id}/members": {
    ok: { 201: "MemberResponse" },
    errors: [...AUTH, ...BODY, ...ACCESS, "already_member", "member_limit"],
    body: "AddMemberRequest",
  },
  "get /v1/sessions/{id}/members": { ok: { 200: "MemberList" }, errors: [...AUTH, "not_found"] },
  "patch /v1/sessions/{id}/members/{userId}": {
    ok: { 200: "MemberResponse" },
    errors: [...AUTH, ...BODY, ...ACCESS, "owner_role_fixed"],
    body: "ChangeMemberRoleRequest",
  },
  "delete /v1/sessions/{id}/members/{userId}": {
    ok: { 204: null },
    errors: [...AUTH, ...ACCESS, "owner_cannot_leave", "validation_failed"],
  },
} as const;

async function openapi(): Promise<Doc> {
  const res = await call("/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

function operation(doc: Doc, route: string): Operation {
  const [method = "", path = ""] = route.split(" ");
  const found = doc.paths[path]?.[method];
  if (!found) expect.unreachable(`${route} is not in /openapi.json`);
  return found;
}

describe("the session routes in /openapi.json", () => {
  it("lists every route with bearer security, its success response and each error in the error model", async () => {
    const doc = await openapi();
    for (const [route, spec] of Object.entries(ROUTES)) {
      const op = operation(doc, route);
      expect(op.security, route).toEqual([{ bearerAuth: [] }]);
      const errors = Object.entries(op.responses).filter(([status]) => !(status in spec.ok));
      expect(Object.keys(op.responses), route).toEqual(expect.arrayContaining(Object.keys(spec.ok)));
      for (const [status, schema] of Object.entries(spec.ok)) {
        if (schema) expect(op.responses[status]?.content?.["application/json"]?.schema.$ref, route).toBe(ref(schema));
      }
      const declared = errors.flatMap(([status, response]) => {
        expect(response.content?.["application/json"]?.schema.$ref, `${route} ${status}`).toBe(ref("Error"));
        return Object.keys(response.content?.["application/json"]?.examples ?? {});
      });
      expect(declared.sort(), route).toEqual([...spec.errors].sort());
      if ("body" in spec) {
        expect(op.requestBody?.content["application/json"]?.schema.$ref, route).toBe(ref(spec.body));
      }
    }
  });

  it("documents no session route that the list above misses", async () => {
    const doc = await openapi();
    const tags = new Set(["sessions", "messages", "tasks", "members"]);
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, op]) => op.tags?.some((tag) => tags.has(tag)))
        .map(([method]) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it("names the parameters: Idempotency-Key, message paging, task status, path ids", async () => {
    const doc = await openapi();
    const params = (route: string) => (operation(doc, route).parameters ?? []).map((p) => `${p.in}:${p.name}`);
    expect(params("post /v1/sessions/{id}/messages")).toEqual(["path:id", "header:idempotency-key"]);
    expect(params("get /v1/sessions/{id}/messages")).toEqual([
      "path:id",
      "query:after",
      "query:before",
      "query:latest",
      "query:limit",
      "query:cursor",
    ]);
    expect(params("get /v1/sessions")).toEqual(["query:limit", "query:cursor"]);
    expect(params("get /v1/sessions/{id}/tasks")).toEqual(["path:id", "query:status"]);
    expect(params("patch /v1/sessions/{id}/tasks/{taskId}")).toEqual(["path:id", "path:taskId"]);
    expect(params("delete /v1/sessions/{id}/members/{userId}")).toEqual(["path:id", "path:userId"]);
  });

  it("describes the codes these routes send, and the export as NDJSON", async () => {
    const doc = await openapi();
    const described = (route: string, status: number) => operation(doc, route).responses[status]?.description;
    expect(described("post /v1/sessions/{id}/messages", 409)).toContain("idempotency_conflict");
    expect(described("post /v1/sessions/{id}/messages", 413)).toContain("content_too_large");
    expect(described("post /v1/sessions", 413)).toContain("metadata_too_large");
    expect(described("patch /v1/sessions/{id}/tasks/{taskId}", 404)).toContain("task_not_found");
    expect(described("post /v1/sessions/{id}/members", 409)).toContain("already_member");
    expect(described("delete /v1/sessions/{id}/members/{userId}", 409)).toContain("owner_cannot_leave");
    expect(described("patch /v1/sessions/{id}/members/{userId}", 409)).toContain("owner_role_fixed");
    expect(described("post /v1/sessions/{id}/messages", 403)).toContain("message_role_forbidden");
    const all = Object.keys(ROUTES).flatMap((route) =>
      Object.values(operation(doc, route).responses).map((r) => r.description),
    );
    expect(all.join("\n")).not.toMatch(/email_taken|signup_disabled/);

    const exported = operation(doc, "get /v1/sessions/{id}/export").responses[200]?.content;
    expect(Object.keys(exported ?? {})).toEqual(["application/x-ndjson"]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["Session", "SessionSummary", "Message", "Task", "Member", "Role", "Error"]),
    );
  });
});
