// Against the real `npm run dev`: refused, malformed and abandoned upgrades never take it down,
// clients hear why they were refused (close codes), the Worker's own 413 and 405 come through, and
// the dev server is reachable on loopback only.
import { randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { SessionSocket, type SessionSocketEnd } from "../../../src/client/index.ts";
import { type ApiInit, apiCall } from "../helpers/dev-api.ts";
import { startDevServer } from "../helpers/dev-server.ts";

interface Refusal {
  code: number;
  reason: string;
  error?: { code: string; message: string };
}

describe("refused upgrades against npm run dev", () => {
  let server: Awaited<ReturnType<typeof startDevServer>>;
  let owner: string;
  let stranger: string;
  let sessionId: string;

  const api = <T>(path: string, init?: ApiInit) => apiCall<T>(server.url, path, init);

  const signUp = async () =>
    (
      await api<{ token: string }>("/v1/auth/signup", {
        body: { email: `refusal-${randomUUID()}@example.com`, password: "correct horse battery" },
      })
    ).token;
  const ticket = async (token: string, id = sessionId) =>
    (await api<{ ticket: string }>(`/v1/sessions/${id}/ws-ticket`, { method: "POST", token })).ticket;
  const wsUrl = (path: string) => `${server.url.replace(/^http/, "ws")}${path}`;

  /** What a client hears from an upgrade: its first `error` frame and the close code, or its hello. */
  function listen(url: string, headers: Record<string, string> = {}): Promise<Refusal | "hello"> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      let error: Refusal["error"];
      socket.on("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode} instead of 101`)));
      socket.on("error", reject);
      socket.on("message", (data) => {
        const frame = JSON.parse(String(data)) as { type: string; code: string; message: string };
        if (frame.type === "hello") {
          socket.close(1000);
          resolve("hello");
        }
        if (frame.type === "error") error = { code: frame.code, message: frame.message };
      });
      socket.on("close", (code, reason) => resolve({ code, reason: reason.toString(), error }));
    });
  }

  async function expectHealthy() {
    const res = await fetch(`${server.url}/health`);
    expect(res.status, server.output().slice(-2000)).toBe(200);
  }

  /** A raw request, for what fetch refuses to send (TRACE, broken handshakes). */
  function rawExchange(text: string): Promise<string> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1");
      let answer = "";
      socket.on("data", (chunk) => {
        answer += chunk.toString("latin1");
        if (answer.includes("\r\n\r\n")) socket.destroy();
      });
      socket.on("close", () => resolve(answer));
      socket.on("error", reject);
      socket.write(text);
    });
  }

  const noInternals = (text: string) => {
    expect(text).not.toMatch(/\n\s+at |node_modules|\[Alchemy\]/);
    expect(text).not.toContain(process.cwd());
  };

  beforeAll(async () => {
    server = await startDevServer({ stage: "e2e-refusals" });
    [owner, stranger] = [await signUp(), await signUp()];
    sessionId = (await api<{ session: { id: string } }>("/v1/sessions", { token: owner, body: { title: "R" } })).session
      .id;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("closes each refused upgrade with its code and an error frame, and keeps serving", async () => {
    const used = await ticket(owner);
    expect(await listen(wsUrl(`/v1/sessions/${sessionId}/ws?ticket=${used}`))).toBe("hello");
    const cases: [string, string, Record<string, string>, number, string][] = [
      ["a used ticket", `/v1/sessions/${sessionId}/ws?ticket=${used}`, {}, 4401, "invalid_ticket"],
      ["a bogus ticket", `/v1/sessions/${sessionId}/ws?ticket=swt_${"A".repeat(43)}`, {}, 4401, "invalid_ticket"],
      ["no credentials", `/v1/sessions/${sessionId}/ws`, {}, 4401, "unauthorized"],
      ["a non-member", `/v1/sessions/${sessionId}/ws`, { authorization: `Bearer ${stranger}` }, 4404, "not_found"],
      [
        "no such session",
        "/v1/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA/ws",
        { authorization: `Bearer ${owner}` },
        4404,
        "not_found",
      ],
      [
        "a bad query",
        `/v1/sessions/${sessionId}/ws?since=-1`,
        { authorization: `Bearer ${owner}` },
        4422,
        "validation_failed",
      ],
    ];
    for (const [what, path, headers, code, errorCode] of cases) {
      const heard = await listen(wsUrl(path), headers);
      expect(heard, what).toMatchObject({ code, error: { code: errorCode } });
      await expectHealthy();
    }
    const origin = { origin: "https://evil.example" };
    const evil = await listen(wsUrl(`/v1/sessions/${sessionId}/ws?ticket=${await ticket(owner)}`), origin);
    expect(evil).toMatchObject({ code: 4403, error: { code: "origin_not_allowed" } });
    await expectHealthy();
  });

  it("relays a plain HTTP refusal of an upgrade elsewhere, and keeps serving", async () => {
    // Routes that do not speak WebSocket answer in HTTP; alchemy's own dev proxy exited on these.
    for (const path of ["/v1/no-such-route", "/v1/sessions"]) {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const socket = new WebSocket(wsUrl(path));
        socket.on("unexpected-response", (_req, res) => {
          resolve(res.statusCode);
          socket.terminate();
        });
        socket.on("open", () => reject(new Error(`${path} upgraded`)));
        socket.on("error", () => {});
      });
      expect(status, path).toBeGreaterThanOrEqual(400);
      expect(status, path).toBeLessThan(500);
      await expectHealthy();
    }
  });

  it("survives malformed and abandoned handshakes", async () => {
    const path = `/v1/sessions/${sessionId}/ws?ticket=${await ticket(owner)}`;
    const head = (key: string, version: string) =>
      `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n\r\n`;
    for (const broken of [
      head("not base64!", "13"),
      head("dGhlIHNhbXBsZSBub25jZQ==", "99"),
      "GET / HTTP/1.1\r\nHost\r\n\r\n",
    ]) {
      const answer = await rawExchange(broken);
      expect(answer, broken).toMatch(/^HTTP\/1\.1 \d{3} /);
      expect(answer, broken).not.toMatch(/^HTTP\/1\.1 5/);
      noInternals(answer);
      await expectHealthy();
    }
    // Abandoned: mid-head, right after a whole upgrade head, and right after the 101.
    const { port } = new URL(server.url);
    for (const text of [head("dGhlIHNhbXBsZSBub25jZQ==", "13").slice(0, 40), head("dGhlIHNhbXBsZSBub25jZQ==", "13")]) {
      await new Promise<void>((resolve) => {
        const socket = net.connect(Number(port), "127.0.0.1", () => {
          socket.write(text);
          socket.destroy();
        });
        socket.on("close", () => resolve());
      });
      await expectHealthy();
    }
    const opened = new WebSocket(wsUrl(`/v1/sessions/${sessionId}/ws?ticket=${await ticket(owner)}`));
    await new Promise((resolve) => opened.on("upgrade", resolve));
    opened.terminate();
    await expectHealthy();
  });

  it("ends a SessionSocket on a refusal or a deleted session, with the reason", async () => {
    class FromElsewhere extends WebSocket {
      constructor(url: string) {
        super(url, { origin: "https://evil.example" });
      }
    }
    const options = { baseUrl: server.url, sessionId, token: owner, backoff: { initialMs: 10, maxMs: 20 } };
    const refused = new SessionSocket({ ...options, WebSocket: FromElsewhere as never });
    const refusedEnd = new Promise<SessionSocketEnd>((resolve) => refused.onEnd(resolve));
    await refused.connect();
    expect(await refusedEnd).toMatchObject({ code: 4403, error: { code: "origin_not_allowed" } });

    const doomed = (await api<{ session: { id: string } }>("/v1/sessions", { token: owner, body: { title: "D" } }))
      .session.id;
    const live = new SessionSocket({ ...options, sessionId: doomed, WebSocket: WebSocket as never });
    const opened = new Promise<void>((resolve) => live.onStatus((status) => status === "open" && resolve()));
    const liveEnd = new Promise<SessionSocketEnd>((resolve) => live.onEnd(resolve));
    await live.connect();
    await opened;
    await api(`/v1/sessions/${doomed}`, { method: "DELETE", token: owner });
    expect((await liveEnd).code).toBe(4004);
    expect(live.ended?.code).toBe(4004);
  });

  it("passes the Worker's own 413 and 405 through, without internals", async () => {
    const big = await fetch(`${server.url}/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"email":"${"a".repeat(1_100_000)}"}`,
    });
    expect(big.status).toBe(413);
    expect(big.headers.get("content-type")).toMatch(/^application\/json/);
    const text = await big.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: "payload_too_large" } });
    noInternals(text);

    const trace = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = http.request(`${server.url}/health`, { method: "TRACE" }, (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode, body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(trace.status).toBe(405);
    expect(JSON.parse(trace.body)).toMatchObject({ error: { code: "method_not_allowed" } });
    noInternals(trace.body);
    await expectHealthy();
  });

  it("listens on loopback only", async () => {
    const { port } = new URL(server.url);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === "IPv4" && !address.internal);
    const reach = (host: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect(Number(port), host, () => {
          socket.destroy();
          resolve("connected");
        });
        socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      });
    expect(await reach("127.0.0.1")).toBe("connected");
    // On a machine with no other interface the bind address is all there is to check: it is loopback.
    if (external) expect(await reach(external.address)).toBe("ECONNREFUSED");
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
  });
});
