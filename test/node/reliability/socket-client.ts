// A WebSocket client for the abuse test: real sockets (the `ws` package) to the running stack, every
// server frame kept in arrival order, the close code and reason recorded.
import WebSocket from "ws";
import { WAIT_MS } from "../../helpers/patience.ts";

export interface ServerFrame {
  type: string;
  code?: string;
  ref?: string;
  lastSeq?: number;
  message?: { id: string; seq: number; content: string; authorId: string };
}

export interface SocketClient {
  ws: WebSocket;
  frames: ServerFrame[];
  closed: Promise<{ code: number; reason: string }>;
  send(frame: unknown): void;
  /** The first frame of `type`, waiting for it up to `timeoutMs`. */
  first(type: string, timeoutMs?: number): Promise<ServerFrame>;
  /** Seqs of the `message.created` frames received, in arrival order. */
  seqs(): number[];
}

/** Opens a socket like a non-browser client: no Origin, optionally with headers (a bearer token). */
export function openSocket(url: string, headers: Record<string, string> = {}): Promise<SocketClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, headers });
    const frames: ServerFrame[] = [];
    const waiters = new Set<() => void>();
    const wake = () => {
      for (const waiter of waiters) waiter();
    };
    ws.on("message", (data) => {
      frames.push(JSON.parse(data.toString()) as ServerFrame);
      wake();
    });
    // What counts is the server's close frame; the TCP close after it can lag (workerd holds a socket
    // refused while it was accepted for ~10 s), so once the close handshake is under way the client
    // drops the connection. `ws` still reports the code and reason of the frame it received.
    const handshake = setInterval(() => {
      if (ws.readyState === ws.CLOSING) ws.terminate();
    }, 20);
    const closed = new Promise<{ code: number; reason: string }>((done) => {
      ws.on("close", (code, reason) => {
        clearInterval(handshake);
        done({ code, reason: reason.toString() });
        wake();
      });
    });
    const first = async (type: string, timeoutMs = WAIT_MS) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const frame = frames.find((candidate) => candidate.type === type);
        if (frame) return frame;
        if (Date.now() > deadline)
          throw new Error(`no ${type} frame in ${timeoutMs} ms: ${JSON.stringify(frames.slice(-5))}`);
        await new Promise<void>((done) => {
          const waiter = () => {
            waiters.delete(waiter);
            clearTimeout(timer);
            done();
          };
          const timer = setTimeout(waiter, 100);
          waiters.add(waiter);
        });
      }
    };
    const client: SocketClient = {
      ws,
      frames,
      closed,
      first,
      send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
      seqs: () =>
        frames.flatMap((frame) => (frame.type === "message.created" && frame.message ? [frame.message.seq] : [])),
    };
    ws.once("open", () => resolve(client));
    ws.once("error", (error) => {
      clearInterval(handshake);
      reject(error);
    });
    ws.once("unexpected-response", (_request, response) =>
      reject(new Error(`upgrade refused: HTTP ${response.statusCode}`)),
    );
  });
}
