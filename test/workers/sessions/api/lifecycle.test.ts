import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../helpers/auth.ts";
import { clientFor, createSession, userWithClient } from "../../helpers/client.ts";

describe("session lifecycle", () => {
  it("creates a session owned by the caller, with unguessable id and live counts", async () => {
    const { user, api } = await userWithClient();
    const session = await createSession(api, { title: "Planning", metadata: { team: "infra" } });
    expect(session).toMatchObject({
      title: "Planning",
      ownerId: user.id,
      role: "owner",
      metadata: { team: "infra" },
      messageCount: 0,
      openTaskCount: 0,
      lastSeq: 0,
    });
    expect(session.id).toMatch(/^ses_[A-Za-z0-9_-]{22}$/);

    const res = await api.v1.sessions[":id"].$get({ param: { id: session.id } });
    if (res.status !== 200) expect.unreachable(`GET returned ${res.status}`);
    expect((await res.json()).session).toMatchObject({ id: session.id, title: "Planning", role: "owner" });
  });

  it("updates title and metadata", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api, { title: "Old" });
    const res = await api.v1.sessions[":id"].$patch({ param: { id }, json: { title: "New", metadata: { a: 1 } } });
    if (res.status !== 200) expect.unreachable(`PATCH returned ${res.status}`);
    expect((await res.json()).session).toMatchObject({ title: "New", metadata: { a: 1 } });

    const empty = await api.v1.sessions[":id"].$patch({ param: { id }, json: {} });
    expect(empty.status).toBe(422);
  });

  it("deletes everything: 204, then 404 on every route, and the object is empty", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api, { title: "Doomed" });
    await api.v1.sessions[":id"].messages.$post({ param: { id }, header: {}, json: { content: "hello" } });

    const res = await api.v1.sessions[":id"].$delete({ param: { id } });
    expect(res.status).toBe(204);

    expect((await api.v1.sessions[":id"].$get({ param: { id } })).status).toBe(404);
    expect((await api.v1.sessions[":id"].messages.$get({ param: { id }, query: {} })).status).toBe(404);
    expect((await api.v1.sessions[":id"].$delete({ param: { id } })).status).toBe(404);
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM sessions WHERE id = ?").bind(id).first<{ n: number }>();
    expect(row?.n).toBe(0);
    const members = await env.DB.prepare("SELECT COUNT(*) AS n FROM session_members WHERE session_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(members?.n).toBe(0);
  });

  it("exports the whole session as NDJSON", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api, { title: "Export me" });
    for (const content of ["one", "two"]) {
      await api.v1.sessions[":id"].messages.$post({ param: { id }, header: {}, json: { content } });
    }
    await api.v1.sessions[":id"].tasks.$post({ param: { id }, json: { title: "Ship it" } });

    const res = await api.v1.sessions[":id"].export.$get({ param: { id } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = new TextDecoder()
      .decode(await res.arrayBuffer())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines.map((line) => line.type)).toEqual(["session", "task", "message", "message"]);
  });

  it("never creates an object for a session that does not exist", async () => {
    const { api } = await userWithClient();
    const before = (await listDurableObjectIds(env.SESSIONS)).length;
    const probes = ["ses_AAAAAAAAAAAAAAAAAAAAAA", "not-a-session", "ses_%2e%2e"];
    for (const id of probes) {
      expect((await api.v1.sessions[":id"].$get({ param: { id } })).status).toBe(404);
      const append = await api.v1.sessions[":id"].messages.$post({ param: { id }, header: {}, json: { content: "x" } });
      expect(append.status).toBe(404);
    }
    expect((await listDurableObjectIds(env.SESSIONS)).length).toBe(before);
  });

  it("requires authentication on every session route", async () => {
    const anonymous = clientFor(null);
    const res = await anonymous.v1.sessions.$get({ query: {} });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("rejects bad bodies in the error model", async () => {
    const { user } = await userWithClient();
    const headers = { authorization: `Bearer ${user.token}` };
    const wrongType = await call("/v1/sessions", {
      method: "POST",
      headers: { ...headers, "content-type": "text/plain" },
      body: "{}",
    });
    expect(wrongType.status).toBe(415);
    const malformed = await call("/v1/sessions", {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: "{",
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: "bad_request" } });
    const invalid = await call("/v1/sessions", {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ title: 42, extra: true }),
    });
    expect(invalid.status).toBe(422);
    const body = (await invalid.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d) => d.path)).toContain("title");
  });
});
