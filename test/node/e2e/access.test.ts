// Live sockets follow access, against the real `npm run dev`: two users with real sockets. Removal
// closes the removed user's socket (4403), a downgrade to viewer refuses the next write, logout and
// API-key deletion close the sockets opened with that credential (4401) within the re-check bound,
// the per-user cap refuses the extra socket, and a ticket issued before removal opens nothing.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localWorkerBindings } from "../../../infra/worker-config.ts";
import { WAIT_MS } from "../../helpers/patience.ts";
import { type ApiInit, apiRequest } from "../helpers/dev-api.ts";
import { startDevServer } from "../helpers/dev-server.ts";
import { openSocket, type SocketClient } from "../reliability/socket-client.ts";

const STAGE = "e2e-access";
/** The values this dev stage runs with (infra/stage-config.ts over the defaults), not the defaults themselves. */
const CONFIG = localWorkerBindings(STAGE);
/**
 * How long to wait for a revoked credential's socket to close: the re-check interval plus a wide margin for a loaded
 * machine. The bound itself is checked without a clock race in test/workers/sessions/realtime/credential-access.test.ts.
 */
const REVOCATION_WAIT_MS = Number(CONFIG.WS_ACCESS_RECHECK_SECONDS) * 1000 + WAIT_MS;
const PER_USER = Number(CONFIG.WS_MAX_SOCKETS_PER_USER);

interface User {
  id: string;
  email: string;
  token: string;
}

describe("sockets follow access, against npm run dev", () => {
  let server: Awaited<ReturnType<typeof startDevServer>>;

  beforeAll(async () => {
    server = await startDevServer({ stage: STAGE });
  });

  afterAll(async () => {
    await server?.stop();
  });

  const api = <T>(path: string, init?: ApiInit) => apiRequest<T>(server.url, path, init);

  async function signUp(): Promise<User> {
    const email = `access-${randomUUID()}@example.com`;
    const res = await api<{ user: { id: string }; token: string }>("/v1/auth/signup", {
      body: { email, password: "correct horse battery" },
    });
    expect(res.status).toBe(201);
    return { id: res.body.user.id, email, token: res.body.token };
  }

  async function ticket(token: string, sessionId: string): Promise<string> {
    const res = await api<{ ticket: string }>(`/v1/sessions/${sessionId}/ws-ticket`, { method: "POST", token });
    expect(res.status).toBe(201);
    return res.body.ticket;
  }

  const wsUrl = (sessionId: string, query: string) =>
    `${server.url.replace(/^http/, "ws")}/v1/sessions/${sessionId}/ws${query}`;

  async function socket(token: string, sessionId: string): Promise<SocketClient> {
    const client = await openSocket(wsUrl(sessionId, `?ticket=${await ticket(token, sessionId)}`));
    await client.first("hello");
    return client;
  }

  /** Waits for the close with a deadline that fails the test, naming what never happened. */
  async function closeCode(client: SocketClient, what: string, ms = WAIT_MS): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: not closed in ${ms} ms\n${server.output().slice(-2000)}`)),
        ms,
      );
    });
    try {
      return (await Promise.race([client.closed, timeout])).code;
    } finally {
      clearTimeout(timer);
    }
  }

  async function sharedSession() {
    const owner = await signUp();
    const member = await signUp();
    const created = await api<{ session: { id: string } }>("/v1/sessions", { token: owner.token, body: {} });
    const sessionId = created.body.session.id;
    const shared = await api(`/v1/sessions/${sessionId}/members`, {
      token: owner.token,
      body: { email: member.email, role: "editor" },
    });
    expect(shared.status).toBe(201);
    return { owner, member, sessionId };
  }

  it("removal closes the removed user's socket; a downgrade refuses the next write", async () => {
    const { owner, member, sessionId } = await sharedSession();
    const ownerSocket = await socket(owner.token, sessionId);
    const memberSocket = await socket(member.token, sessionId);

    const downgrade = await api(`/v1/sessions/${sessionId}/members/${member.id}`, {
      method: "PATCH",
      token: owner.token,
      body: { role: "viewer" },
    });
    expect(downgrade.status).toBe(200);
    expect(await memberSocket.first("access.changed")).toMatchObject({ role: "viewer" });
    memberSocket.send({ v: 1, type: "task.create", ref: "w1", title: "as a viewer" });
    expect(await memberSocket.first("error")).toMatchObject({ code: "forbidden", ref: "w1" });

    const removal = await api(`/v1/sessions/${sessionId}/members/${member.id}`, {
      method: "DELETE",
      token: owner.token,
    });
    expect(removal.status).toBe(204);
    expect(await closeCode(memberSocket, "the removed member's socket")).toBe(4403);
    expect(ownerSocket.ws.readyState).toBe(ownerSocket.ws.OPEN);
    ownerSocket.ws.close(1000);
  });

  it("logout and API-key deletion close the sockets opened with that credential", async () => {
    const { owner, member, sessionId } = await sharedSession();
    const loggedOut = await socket(member.token, sessionId);
    const key = await api<{ id: string; key: string }>("/v1/api-keys", { token: owner.token, body: { name: "bot" } });
    const keySocket = await openSocket(wsUrl(sessionId, ""), { authorization: `Bearer ${key.body.key}` });
    await keySocket.first("hello");
    const ownerSocket = await socket(owner.token, sessionId);

    expect((await api("/v1/auth/logout", { method: "POST", token: member.token })).status).toBe(204);
    expect(await closeCode(loggedOut, "the logged-out token's socket", REVOCATION_WAIT_MS)).toBe(4401);
    expect((await api(`/v1/api-keys/${key.body.id}`, { method: "DELETE", token: owner.token })).status).toBe(204);
    expect(await closeCode(keySocket, "the deleted key's socket", REVOCATION_WAIT_MS)).toBe(4401);
    expect(ownerSocket.ws.readyState).toBe(ownerSocket.ws.OPEN);
    ownerSocket.ws.close(1000);
  });

  it("the per-user cap refuses the extra socket with 1008, and the other user still gets in", async () => {
    const { owner, member, sessionId } = await sharedSession();
    const mine: SocketClient[] = [];
    for (let i = 0; i < PER_USER; i++) mine.push(await socket(member.token, sessionId));
    const extra = await openSocket(wsUrl(sessionId, `?ticket=${await ticket(member.token, sessionId)}`));
    expect(await extra.first("error")).toMatchObject({ code: "user_socket_limit" });
    expect(await closeCode(extra, "the socket past the per-user cap")).toBe(1008);
    const ownerSocket = await socket(owner.token, sessionId);
    for (const client of [...mine, ownerSocket]) client.ws.close(1000);
  });

  // Last: until the dev proxy survives refused upgrades (issue 12, point 2), a refusal may end the server.
  it("a ticket issued before removal opens nothing", async () => {
    const { owner, member, sessionId } = await sharedSession();
    const early = await ticket(member.token, sessionId);
    const removal = await api(`/v1/sessions/${sessionId}/members/${member.id}`, {
      method: "DELETE",
      token: owner.token,
    });
    expect(removal.status).toBe(204);
    const attempt = await openSocket(wsUrl(sessionId, `?ticket=${early}`)).then(
      async (client) => {
        await closeCode(client, "the socket opened with an old ticket");
        return client.frames;
      },
      () => [], // refused before the upgrade completed
    );
    expect(attempt.some((frame) => frame.type === "hello")).toBe(false);
  });
});
