// Per-user quotas on sessions owned and members per session: 409 in the one error model, configurable.
import { describe, expect, it } from "vitest";
import { bearer, signUpUser, type TestUser } from "../../helpers/auth.ts";
import { callWithVars } from "../../helpers/env-override.ts";

function send(vars: Record<string, string>, user: TestUser, method: string, path: string, body?: unknown) {
  return callWithVars(vars, path, {
    method,
    headers: { "content-type": "application/json", ...bearer(user.token) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("quotas", () => {
  it("refuses a session past QUOTA_SESSIONS_PER_USER live owned sessions, and frees a slot on delete", async () => {
    const vars = { QUOTA_SESSIONS_PER_USER: "2" };
    const owner = await signUpUser();
    const create = () => send(vars, owner, "POST", "/v1/sessions", {});
    const first = (await (await create()).json()) as { session: { id: string } };
    expect((await create()).status).toBe(201);
    const over = await create();
    expect(over.status).toBe(409);
    expect(await over.json()).toMatchObject({ error: { code: "session_limit" } });

    // Sessions shared with you do not count against your own quota.
    const friend = await signUpUser();
    const shared = (await (await send(vars, friend, "POST", "/v1/sessions", {})).json()) as { session: { id: string } };
    const add = await send(vars, friend, "POST", `/v1/sessions/${shared.session.id}/members`, {
      email: owner.email,
      role: "editor",
    });
    expect(add.status).toBe(201);
    expect((await create()).status).toBe(409);

    expect((await send(vars, owner, "DELETE", `/v1/sessions/${first.session.id}`)).status).toBe(204);
    expect((await create()).status).toBe(201);
  });

  it("refuses a member past QUOTA_MEMBERS_PER_SESSION (the owner counts) with 409 member_limit", async () => {
    const vars = { QUOTA_MEMBERS_PER_SESSION: "2" };
    const owner = await signUpUser();
    const [first, second] = [await signUpUser(), await signUpUser()];
    const { session } = (await (await send(vars, owner, "POST", "/v1/sessions", {})).json()) as {
      session: { id: string };
    };
    const add = (user: TestUser) =>
      send(vars, owner, "POST", `/v1/sessions/${session.id}/members`, { email: user.email, role: "viewer" });
    expect((await add(first)).status).toBe(201);
    const over = await add(second);
    expect(over.status).toBe(409);
    expect(await over.json()).toMatchObject({ error: { code: "member_limit" } });
  });

  it("holds the member quota under concurrent adds: the count and the insert are one statement", async () => {
    const vars = { QUOTA_MEMBERS_PER_SESSION: "3" };
    const owner = await signUpUser();
    const users = await Promise.all(Array.from({ length: 6 }, () => signUpUser()));
    const { session } = (await (await send(vars, owner, "POST", "/v1/sessions", {})).json()) as {
      session: { id: string };
    };
    const answers = await Promise.all(
      users.map((user) =>
        send(vars, owner, "POST", `/v1/sessions/${session.id}/members`, { email: user.email, role: "viewer" }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 201, 409, 409, 409, 409]);
    const list = await send(vars, owner, "GET", `/v1/sessions/${session.id}/members`);
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(3);
    // Naming a member again is still "already a member", even in a full session.
    const again = await send(vars, owner, "POST", `/v1/sessions/${session.id}/members`, {
      email: users[answers.findIndex((answer) => answer.status === 201)]?.email,
      role: "editor",
    });
    expect(await again.json()).toMatchObject({ error: { code: "already_member" } });
  });
});
