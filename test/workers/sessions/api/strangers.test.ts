// Object-level authorization: someone else's session is indistinguishable from one that does not exist,
// on every route, and probing never creates a Durable Object.
import { describe, expect, it } from "vitest";
import { bearer, call, type TestUser } from "../../helpers/auth.ts";
import { createSession, userWithClient } from "../../helpers/client.ts";
import { appendMessages, objectExists, randomSessionId } from "./helpers.ts";

interface Route {
  method: string;
  path: string;
  body?: unknown;
}

/** Every route that names a session, with a valid body so validation never answers first. */
const SESSION_ROUTES: Route[] = [
  { method: "GET", path: "/v1/sessions/{id}" },
  { method: "PATCH", path: "/v1/sessions/{id}", body: { title: "taken over" } },
  { method: "DELETE", path: "/v1/sessions/{id}" },
  { method: "GET", path: "/v1/sessions/{id}/export" },
  { method: "POST", path: "/v1/sessions/{id}/messages", body: { content: "injected" } },
  { method: "GET", path: "/v1/sessions/{id}/messages" },
  { method: "POST", path: "/v1/sessions/{id}/tasks", body: { title: "injected" } },
  { method: "GET", path: "/v1/sessions/{id}/tasks" },
  { method: "PATCH", path: "/v1/sessions/{id}/tasks/{taskId}", body: { status: "cancelled" } },
  { method: "DELETE", path: "/v1/sessions/{id}/tasks/{taskId}" },
  { method: "POST", path: "/v1/sessions/{id}/members", body: { email: "{email}", role: "editor" } },
  { method: "GET", path: "/v1/sessions/{id}/members" },
  { method: "PATCH", path: "/v1/sessions/{id}/members/{userId}", body: { role: "viewer" } },
  { method: "DELETE", path: "/v1/sessions/{id}/members/{userId}" },
];

interface Target {
  id: string;
  taskId: string;
  /** The member a DELETE …/members/{userId} names: the owner, or the caller leaving. */
  userId: string;
}

function send(user: TestUser, route: Route, target: Target) {
  const fill = (text: string) =>
    text
      .replace("{id}", target.id)
      .replace("{taskId}", target.taskId)
      .replace("{userId}", target.userId)
      .replace("{email}", user.email);
  const init: RequestInit = { method: route.method, headers: bearer(user.token) };
  if (route.body !== undefined) {
    init.headers = { ...bearer(user.token), "content-type": "application/json" };
    init.body = fill(JSON.stringify(route.body));
  }
  return call(fill(route.path), init);
}

async function ownedSession() {
  const owner = await userWithClient("Owner");
  const { id } = await createSession(owner.api, { title: "Private" });
  await appendMessages(owner.api, id, ["secret"]);
  const res = await owner.api.v1.sessions[":id"].tasks.$post({ param: { id }, json: { title: "private task" } });
  if (res.status !== 201) expect.unreachable(`create task returned ${res.status}`);
  return { owner, id, taskId: (await res.json()).task.id };
}

const label = (route: Route) => `${route.method} ${route.path}`;

describe("a second user", () => {
  it("gets the same 404 on every route of someone else's session as for a session that does not exist", async () => {
    const { owner, id, taskId } = await ownedSession();
    const stranger = await userWithClient("Stranger");
    const missing = randomSessionId();

    for (const route of SESSION_ROUTES) {
      for (const userId of [owner.user.id, stranger.user.id]) {
        const real = await send(stranger.user, route, { id, taskId, userId });
        const absent = await send(stranger.user, route, { id: missing, taskId, userId });
        expect(real.status, label(route)).toBe(404);
        const body = await real.json();
        expect(body, label(route)).toMatchObject({ error: { code: "not_found" } });
        expect(body, label(route)).toEqual(await absent.json());
      }
    }

    const list = await stranger.api.v1.sessions.$get({ query: {} });
    if (list.status !== 200) expect.unreachable(`list returned ${list.status}`);
    expect((await list.json()).items).toEqual([]);

    // Nothing the stranger sent landed.
    const got = await owner.api.v1.sessions[":id"].$get({ param: { id } });
    if (got.status !== 200) expect.unreachable(`owner GET returned ${got.status}`);
    expect((await got.json()).session).toMatchObject({ title: "Private", messageCount: 1, openTaskCount: 1 });
    const members = await owner.api.v1.sessions[":id"].members.$get({ param: { id } });
    if (members.status !== 200) expect.unreachable(`members returned ${members.status}`);
    expect((await members.json()).items.map((m) => m.userId)).toEqual([owner.user.id]);
  });

  it("never creates a Durable Object for an id D1 does not know, whatever the route", async () => {
    const { user } = await userWithClient("Prober");
    const missing = randomSessionId();
    for (const route of SESSION_ROUTES) {
      const res = await send(user, route, { id: missing, taskId: crypto.randomUUID(), userId: user.id });
      expect(res.status, label(route)).toBe(404);
    }
    expect(await objectExists(missing)).toBe(false);
  });

  it("is tried on every documented route of the sessions API", async () => {
    type Operations = Record<string, { tags?: string[] }>;
    const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, Operations> };
    // The tags of src/sessions; other features under /v1/sessions/{id} test their own routes.
    const tags = new Set(["sessions", "messages", "tasks", "members"]);
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/v1/sessions/{id}"))
      .flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, operation]) => operation.tags?.some((tag) => tags.has(tag)))
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      );
    expect(new Set(SESSION_ROUTES.map(label))).toEqual(new Set(documented));
  });
});

describe("a deleted session", () => {
  it("is 404 on every route, for its owner too", async () => {
    const { owner, id, taskId } = await ownedSession();
    expect((await owner.api.v1.sessions[":id"].$delete({ param: { id } })).status).toBe(204);
    for (const route of SESSION_ROUTES) {
      const res = await send(owner.user, route, { id, taskId, userId: owner.user.id });
      expect(res.status, label(route)).toBe(404);
    }
    const list = await owner.api.v1.sessions.$get({ query: {} });
    if (list.status !== 200) expect.unreachable(`list returned ${list.status}`);
    expect((await list.json()).items).toEqual([]);
  });
});
