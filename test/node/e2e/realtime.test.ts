// The typed client against the real `npm run dev`: two clients see an HTTP-posted message; one
// drops, reconnects with its last seq and misses nothing.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { SessionSocket } from "../../../src/client/index.ts";
import type { ServerFrameOf } from "../../../src/sessions/protocol.ts";
import { type ApiInit, apiCall } from "../helpers/dev-api.ts";
import { startDevServer } from "../helpers/dev-server.ts";

type Created = ServerFrameOf<"message.created">;

describe("real-time against npm run dev", () => {
  let server: Awaited<ReturnType<typeof startDevServer>>;

  beforeAll(async () => {
    server = await startDevServer({ stage: "e2e-realtime" });
  });

  afterAll(async () => {
    await server?.stop();
  });

  const api = <T>(path: string, init?: ApiInit) => apiCall<T>(server.url, path, init);

  function client(token: string, sessionId: string) {
    // Remembers each connection the client opens, so the test can cut one like a network would.
    const connections: WebSocket[] = [];
    class TrackedWebSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        connections.push(this);
      }
    }
    const socket = new SessionSocket({
      baseUrl: server.url,
      sessionId,
      token,
      backoff: { initialMs: 50, maxMs: 200 },
      WebSocket: TrackedWebSocket as unknown as ConstructorParameters<typeof SessionSocket>[0]["WebSocket"],
    });
    const received: Created[] = [];
    socket.on("message.created", (frame) => received.push(frame));
    const opened = () => new Promise<void>((resolve) => socket.onStatus((status) => status === "open" && resolve()));
    return { socket, received, opened, connections };
  }

  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it("fans out, and resumes from the last seq after a drop", async () => {
    const { token } = await api<{ token: string }>("/v1/auth/signup", {
      body: { email: `rt-${randomUUID()}@example.com`, password: "correct horse battery" },
    });
    const { session } = await api<{ session: { id: string } }>("/v1/sessions", { token, body: { title: "Live" } });
    const post = (content: string) => api(`/v1/sessions/${session.id}/messages`, { token, body: { content } });

    const a = client(token, session.id);
    const b = client(token, session.id);
    const aOpen = a.opened();
    const bOpen = b.opened();
    await Promise.all([a.socket.connect(), b.socket.connect()]);
    await Promise.all([aOpen, bOpen]);

    await post("hello both");
    await until(() => a.received.length === 1 && b.received.length === 1, "both clients to receive");
    expect(a.received[0]?.message.content).toBe("hello both");
    expect(b.received[0]?.message.seq).toBe(1);

    // Drop b's connection as a network would (no close frame from the client's side), then write.
    const reopened = b.opened();
    b.connections.at(-1)?.terminate();
    for (let i = 0; i < 5; i++) await post(`while away ${i}`);
    await reopened;
    await post("after reconnect");
    await until(() => a.received.length === 7 && b.received.length === 7, "both clients to have every message");
    expect(b.connections.length).toBe(2);
    expect(b.received.map((frame) => frame.message.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(a.received.map((frame) => frame.message.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    a.socket.close();
    b.socket.close();
  });
});
