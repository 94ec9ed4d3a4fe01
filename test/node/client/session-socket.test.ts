// SessionSocket's reconnect policy, against a scripted WebSocket and ticket endpoint: it stops on
// final close codes (refusals, revoked access, deleted session) and says why; it reconnects on drops.
import { describe, expect, it } from "vitest";
import { SessionSocket, type SessionSocketEnd } from "../../../src/client/index.ts";
import { WAIT_MS } from "../../helpers/patience.ts";

type Listener = (event: never) => void;

/** A WebSocket the test drives: it records every connection and lets the test play the server. */
class ScriptedSocket {
  static opened: ScriptedSocket[] = [];
  readonly url: string;
  readyState = 0;
  sent: string[] = [];
  private listeners = new Map<string, Listener[]>();

  constructor(url: string) {
    this.url = url;
    ScriptedSocket.opened.push(this);
  }
  addEventListener(type: string, listener: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.serverCloses(1000, "client closed");
  }
  private emit(type: string, event: unknown) {
    for (const listener of this.listeners.get(type) ?? []) listener(event as never);
  }
  serverOpens() {
    this.readyState = 1;
    this.emit("open", {});
  }
  serverSends(frame: object) {
    this.emit("message", { data: JSON.stringify({ v: 1, ...frame }) });
  }
  serverCloses(code: number, reason = "") {
    this.readyState = 3;
    this.emit("close", { code, reason });
  }
}

const hello = { type: "hello", session: session(), role: "owner", lastSeq: 0 };
function session() {
  const at = "2026-01-01T00:00:00.000Z";
  return { id: "ses_1", ownerId: "usr_1", title: null, metadata: {}, createdAt: at, updatedAt: at };
}

/** A client whose ticket endpoint answers from `tickets` (default: always a ticket). */
function client(tickets: (attempt: number) => Response = () => Response.json({ ticket: "swt_x" }, { status: 201 })) {
  ScriptedSocket.opened = [];
  let attempts = 0;
  const socket = new SessionSocket({
    baseUrl: "http://api.test",
    sessionId: "ses_1",
    token: "sat_x",
    heartbeatMs: 0,
    backoff: { initialMs: 1, maxMs: 2 },
    fetch: (async () => tickets(attempts++)) as typeof fetch,
    WebSocket: ScriptedSocket as never,
  });
  const ends: SessionSocketEnd[] = [];
  socket.onEnd((end) => ends.push(end));
  return { socket, ends, attempts: () => attempts };
}

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
/** Enough turns of the event loop for a (wrongly) scheduled reconnect, with 1-2 ms backoff, to show. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

const current = () => ScriptedSocket.opened.at(-1) as ScriptedSocket;

describe("SessionSocket", () => {
  it("stops on a refused upgrade and reports the refusal's close code, reason and error", async () => {
    const { socket, ends, attempts } = client();
    await socket.connect();
    current().serverOpens();
    current().serverSends({ type: "error", code: "invalid_ticket", message: "The ticket is invalid." });
    current().serverCloses(4401, "The ticket is invalid.");
    await settle();
    const end = {
      code: 4401,
      reason: "The ticket is invalid.",
      error: { code: "invalid_ticket", message: "The ticket is invalid." },
    };
    expect(ends).toEqual([end]);
    expect(socket.ended).toEqual(end);
    expect(attempts()).toBe(1);
    expect(ScriptedSocket.opened).toHaveLength(1);
  });

  it("stops on every final code: forbidden, not found, deleted, policy", async () => {
    for (const code of [4403, 4404, 4004, 4422, 1008]) {
      const { socket, ends } = client();
      await socket.connect();
      current().serverOpens();
      current().serverCloses(code, "no");
      await settle();
      expect(
        ends.map((end) => end.code),
        `${code}`,
      ).toEqual([code]);
      expect(ScriptedSocket.opened, `${code}`).toHaveLength(1);
    }
  });

  it("reconnects after a network drop, a server error or a rate limit, and resumes from the last seq", async () => {
    const { socket, ends } = client();
    await socket.connect();
    current().serverOpens();
    current().serverSends(hello);
    current().serverSends({
      type: "message.created",
      message: {
        id: "msg_1",
        seq: 7,
        role: "user",
        content: "hi",
        metadata: {},
        authorId: "usr_1",
        createdAt: "2026-01-01T00:00:00.000Z",
      },
    });
    for (const [index, code] of [1006, 1011, 4429, 1001].entries()) {
      current().serverCloses(code);
      await until(() => ScriptedSocket.opened.length === index + 2, `a reconnect after ${code}`);
      expect(current().url).toContain("since=7");
    }
    expect(ends).toEqual([]);
    expect(socket.ended).toBeUndefined();
    socket.close();
  });

  it("stops when a reconnect's ticket is refused (e.g. access revoked), and keeps trying on 5xx", async () => {
    const { socket, ends, attempts } = client((attempt) => {
      if (attempt === 0) return Response.json({ ticket: "swt_x" }, { status: 201 });
      if (attempt === 1) return Response.json({ error: { code: "internal_error", message: "oops" } }, { status: 503 });
      return Response.json({ error: { code: "not_found", message: "No such session." } }, { status: 404 });
    });
    await socket.connect();
    current().serverOpens();
    current().serverCloses(1006);
    await until(() => ends.length === 1, "the client to give up");
    expect(attempts()).toBe(3);
    expect(ends[0]).toEqual({
      code: 4404,
      reason: "No such session.",
      error: { code: "not_found", message: "No such session." },
    });
  });

  it("does not report an end when the caller closes it", async () => {
    const { socket, ends } = client();
    await socket.connect();
    current().serverOpens();
    socket.close();
    await settle();
    expect(ends).toEqual([]);
    expect(ScriptedSocket.opened).toHaveLength(1);
  });
});
