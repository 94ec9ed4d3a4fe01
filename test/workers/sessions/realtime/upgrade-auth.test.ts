import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionStub } from "../../../../src/sessions/api/session-stub.ts";
import { BASE_URL, bearer, signUpUser } from "../../helpers/auth.ts";
import { clientFor, createSession } from "../../helpers/client.ts";
import { refusalOf } from "../../helpers/refusals.ts";
import { ticketFor, upgrade, wrap } from "../../helpers/sockets.ts";

async function ownerWithSession() {
  const user = await signUpUser();
  const session = await createSession(clientFor(user));
  return { user, sessionId: session.id };
}

/** A refused upgrade is a socket that says why, then closes with 4000 + the HTTP status (refusal.ts). */
async function expectError(res: Response, status: number, code: string) {
  expect(await refusalOf(res)).toMatchObject({ status: 101, closeCode: 4000 + status, error: { code } });
}

describe("WebSocket upgrade authentication", () => {
  it("accepts a fresh ticket once, then refuses it", async () => {
    const { user, sessionId } = await ownerWithSession();
    const ticket = await ticketFor(user, sessionId);
    const socket = wrap(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`));
    const hello = await socket.next("hello");
    expect(hello).toMatchObject({ role: "owner", lastSeq: 0, session: { id: sessionId } });
    await expectError(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`), 401, "invalid_ticket");
  });

  it("refuses no credentials, a bad ticket and an expired ticket with 401 before upgrading", async () => {
    const { user, sessionId } = await ownerWithSession();
    await expectError(await upgrade(`/v1/sessions/${sessionId}/ws`), 401, "unauthorized");
    await expectError(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=swt_nope`), 401, "invalid_ticket");

    const ticket = await ticketFor(user, sessionId);
    await runInDurableObject(sessionStub(env, sessionId), (_, state) => {
      state.storage.sql.exec("UPDATE ws_tickets SET expires_at = ?", Date.now() - 1);
    });
    await expectError(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`), 401, "invalid_ticket");
  });

  it("binds a ticket to its session", async () => {
    const { user, sessionId } = await ownerWithSession();
    const other = await createSession(clientFor(user));
    const ticket = await ticketFor(user, sessionId);
    await expectError(await upgrade(`/v1/sessions/${other.id}/ws?ticket=${ticket}`), 401, "invalid_ticket");
  });

  it("gives strangers 404 for tickets and bearer upgrades", async () => {
    const { sessionId } = await ownerWithSession();
    const stranger = await signUpUser();
    const ticket = await clientFor(stranger).v1.sessions[":id"]["ws-ticket"].$post({ param: { id: sessionId } });
    expect(ticket.status).toBe(404);
    await expectError(await upgrade(`/v1/sessions/${sessionId}/ws`, bearer(stranger.token)), 404, "not_found");
    await expectError(await upgrade("/v1/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA/ws?ticket=swt_x"), 404, "not_found");
  });

  it("accepts a bearer token from non-browser clients", async () => {
    const { user, sessionId } = await ownerWithSession();
    const socket = wrap(await upgrade(`/v1/sessions/${sessionId}/ws`, bearer(user.token)));
    expect(await socket.next("hello")).toMatchObject({ role: "owner" });
  });

  it("requires an upgrade and an allowed Origin", async () => {
    const { user, sessionId } = await ownerWithSession();
    const plain = await clientFor(user).v1.sessions[":id"].ws.$get({ param: { id: sessionId }, query: {} });
    expect(plain.status).toBe(426);
    const ticket = await ticketFor(user, sessionId);
    const evil = await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`, { origin: "https://evil.example" });
    await expectError(evil, 403, "origin_not_allowed");
  });

  it("accepts the Worker's own origin: the console it serves is same-origin, not in CORS_ORIGINS", async () => {
    const { user, sessionId } = await ownerWithSession();
    const path = `/v1/sessions/${sessionId}/ws?ticket=${await ticketFor(user, sessionId)}`;
    const socket = wrap(await upgrade(path, { origin: new URL(BASE_URL).origin }));
    expect(await socket.next("hello")).toMatchObject({ role: "owner" });
    // Same host, other scheme or port: another origin, still refused.
    const other = `/v1/sessions/${sessionId}/ws?ticket=${await ticketFor(user, sessionId)}`;
    await expectError(await upgrade(other, { origin: `${new URL(BASE_URL).origin}:8443` }), 403, "origin_not_allowed");
  });
});
