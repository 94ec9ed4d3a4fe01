// WebSocket test helpers: open a socket through the real Worker entry and read typed frames from it.
import { exports } from "cloudflare:workers";
import { parseServerFrame, type ServerFrame, type ServerFrameType } from "../../../src/sessions/protocol.ts";
import { BASE_URL, bearer, postJson, type TestUser } from "./auth.ts";

export interface TestSocket {
  ws: WebSocket;
  frames: ServerFrame[];
  /** Resolves with the next frame of this type not yet taken (waiting for it if needed). */
  next<T extends ServerFrameType>(type: T, timeoutMs?: number): Promise<Extract<ServerFrame, { type: T }>>;
  closed: Promise<{ code: number; reason: string }>;
  send(frame: unknown): void;
}

export async function upgrade(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE_URL}${path}`, { headers: { upgrade: "websocket", ...headers } }));
}

export async function ticketFor(user: TestUser, sessionId: string): Promise<string> {
  const res = await postJson(`/v1/sessions/${sessionId}/ws-ticket`, undefined, bearer(user.token));
  if (res.status !== 201) throw new Error(`ticket failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { ticket: string }).ticket;
}

export function wrap(res: Response): TestSocket {
  const ws = res.webSocket;
  if (!ws) throw new Error(`no WebSocket: ${res.status} ${res.headers.get("content-type")}`);
  ws.accept();
  const frames: ServerFrame[] = [];
  const taken = new Set<number>();
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (event) => {
    const parsed = parseServerFrame(event.data as string);
    if (!parsed.ok) throw new Error(`server sent an invalid frame: ${String(event.data)}`);
    frames.push(parsed.frame);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.addEventListener("close", (event) => {
      resolve({ code: event.code, reason: event.reason });
      for (const wake of waiters.splice(0)) wake();
    });
  });
  const next = async <T extends ServerFrameType>(type: T, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = frames.findIndex((frame, i) => frame.type === type && !taken.has(i));
      if (index !== -1) {
        taken.add(index);
        return frames[index] as Extract<ServerFrame, { type: T }>;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no ${type} frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  const send = (frame: unknown) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  return { ws, frames, next, closed, send };
}

/** Connects a member with a fresh ticket; `since` asks for a replay. */
export async function connect(user: TestUser, sessionId: string, since?: number): Promise<TestSocket> {
  const ticket = await ticketFor(user, sessionId);
  const query = new URLSearchParams({ ticket, ...(since === undefined ? {} : { since: String(since) }) });
  const socket = wrap(await upgrade(`/v1/sessions/${sessionId}/ws?${query}`));
  await socket.next("hello");
  return socket;
}

/** Lets in-flight frames arrive (the runtime delivers them asynchronously). */
export const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

/** The owner shares the session with a user (HTTP, through the real route). */
export async function share(owner: TestUser, sessionId: string, user: TestUser, role: "editor" | "viewer") {
  const res = await postJson(`/v1/sessions/${sessionId}/members`, { email: user.email, role }, bearer(owner.token));
  if (res.status !== 201) throw new Error(`share failed: ${res.status} ${await res.text()}`);
}
