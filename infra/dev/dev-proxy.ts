// The local dev server: a byte relay in front of workerd, so every answer is the Worker's own
// (docs/dev-server.md says why it replaces alchemy's proxy). Request heads are rewritten (route,
// client IP; request-heads.ts), everything else flows both ways untouched: a refused upgrade, an early
// 413 or a TRACE reaches the client exactly as workerd sent it, and nothing a client does can throw.
import net, { type Socket } from "node:net";
import { listenOnFreePort } from "./listen.ts";
import { type Part, RequestHeadRewriter } from "./request-heads.ts";

export interface DevProxyOptions {
  host: string;
  /** First port to try; the next free one is taken if it is busy (as alchemy does). */
  port: number;
  /** workerd's entry address, asked per connection: alchemy replaces its Miniflare on every reload. */
  upstream: () => Promise<URL>;
  /** Added to every request head, e.g. Miniflare's route to the right Worker. */
  routeHeaders: Record<string, string>;
  log?: (message: string) => void;
}

export interface DevProxy {
  port: number;
  close(): Promise<void>;
}

/** A client that has not sent a whole request head by then is dropped (slow-loris). */
const HEAD_TIMEOUT_MS = 60_000;

/**
 * Headers a client may not set: Miniflare's control headers (`MF-*`), and the client IP, which the
 * proxy states itself (Cloudflare's edge does the same in production).
 */
const isReserved = (name: string) => name.startsWith("mf-") || name === "cf-connecting-ip";

/** The proxy's own answers, in the API's error model and without details. */
function errorAnswer(status: string, code: string, message: string): string {
  const body = JSON.stringify({ error: { code, message } });
  return `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
const BAD_REQUEST = errorAnswer("400 Bad Request", "bad_request", "Malformed HTTP request.");
const UNAVAILABLE = errorAnswer(
  "502 Bad Gateway",
  "dev_runtime_unavailable",
  "The local runtime closed the connection without an answer (restarting, or it reset an upload it would not read).",
);

/** A status line that refuses (4xx, 5xx): sent while the body is still coming, the rest is unwanted. */
const REFUSAL = /^HTTP\/1\.[01] [45]\d\d /;
/**
 * A body larger than this is held back for up to HOLD_MS after its head, for an early answer (the
 * Worker refuses a too-large Content-Length without reading): as curl does with `Expect`, since
 * workerd resets an upload it will not read, and the reset can overtake its answer.
 */
const HOLD_BODY_BYTES = 64 * 1024;
const HOLD_MS = 1_000;

function relay(client: Socket, options: DevProxyOptions): void {
  const ip = client.remoteAddress?.replace(/^::ffff:/, "");
  const rewriter = new RequestHeadRewriter({
    add: [
      ...Object.entries(options.routeHeaders).map(([name, value]) => `${name}: ${value}`),
      ...(ip ? [`CF-Connecting-IP: ${ip}`] : []),
    ],
    drop: isReserved,
  });
  let upstream: Socket | undefined;
  let connecting = false;
  let answered = false;
  let clientEnded = false;
  /**
   * Set when workerd refuses a request before its body is complete (a 413 after 64 KiB of 1 MiB):
   * it will not read the rest and resets the connection if more comes, and Node drops a socket's
   * unread answer on a failed write. So nothing more is sent; the client's remaining bytes are read
   * here and dropped, and the connection ends once workerd's answer has been passed on.
   */
  let uploadStopped = false;
  const outbox: Buffer[] = [];
  let flushScheduled = false;

  const closeBoth = () => {
    client.destroy();
    upstream?.destroy();
  };
  /** Says the last word (if any) and hangs up, discarding whatever the client still sends. */
  const finish = (lastWords?: string) => {
    client.off("data", onData);
    client.resume();
    if (client.destroyed || client.writableEnded) return;
    if (lastWords === undefined) client.end();
    else client.end(lastWords);
  };

  /** The body of the current request, held back until workerd answers early or HOLD_MS pass. */
  let held: Buffer[] | undefined;
  const release = () => {
    if (!held) return;
    outbox.push(...held);
    held = undefined;
    schedule();
  };

  const flush = () => {
    flushScheduled = false;
    if (!upstream || upstream.destroyed) return;
    if (uploadStopped) outbox.length = 0;
    let flowing = true;
    for (const part of outbox.splice(0)) flowing = upstream.write(part) && flowing;
    if (clientEnded && !upstream.writableEnded && !held) upstream.end();
    if (flowing && !held) client.resume();
  };
  const schedule = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(flush);
  };
  /**
   * Writes wait for the next turn of the event loop, after its reads: an early answer from workerd
   * is seen (and stops the upload) before another write can run into the reset that follows it.
   */
  const send = (parts: Part[]) => {
    if (uploadStopped) return;
    for (const part of parts) {
      if (held) held.push(part.data);
      else outbox.push(part.data);
      if ((part.head?.declaredLength ?? 0) > HOLD_BODY_BYTES) {
        held = [];
        setTimeout(release, HOLD_MS).unref();
      }
    }
    client.pause(); // resumed by flush, or by workerd's drain: nothing piles up here
    schedule();
  };

  const onData = (chunk: Buffer) => {
    const parts = rewriter.push(chunk);
    // Unframeable input: a 400 if nothing was relayed yet, else a hang-up (answers must not interleave).
    if (parts === null) return upstream ? closeBoth() : finish(BAD_REQUEST);
    if (parts.length === 0) return;
    client.setTimeout(0);
    send(parts);
    if (connecting) return;
    connecting = true;
    options.upstream().then(connect, () => finish(UNAVAILABLE));
  };

  const onAnswer = (socket: Socket, data: Buffer) => {
    const uploading = rewriter.inBody || outbox.length > 0 || socket.writableLength > 0;
    const early = held !== undefined || (uploading && REFUSAL.test(data.subarray(0, 16).toString("latin1")));
    if (early && !uploadStopped) {
      uploadStopped = true;
      held = undefined;
      outbox.length = 0;
      socket.end();
      client.resume();
    }
    answered = true;
    if (!client.write(data)) socket.pause();
  };

  const connect = (target: URL) => {
    if (client.destroyed) return; // abandoned while workerd was being looked up
    const socket = net.connect(Number(target.port), target.hostname);
    upstream = socket;
    socket.setNoDelay(true);
    client.setNoDelay(true);
    socket.on("data", (data: Buffer) => onAnswer(socket, data));
    client.on("drain", () => socket.resume());
    socket.on("drain", () => client.resume());
    socket.on("error", () => {}); // "close" follows
    socket.on("close", () => finish(answered ? undefined : UNAVAILABLE));
    flush();
  };

  client.on("data", onData);
  client.on("end", () => {
    clientEnded = true;
    if (upstream) flush();
    else if (!connecting) finish();
  });
  client.on("error", closeBoth);
  client.on("close", () => upstream?.destroy());
  client.setTimeout(HEAD_TIMEOUT_MS, closeBoth);
}

export async function startDevProxy(options: DevProxyOptions): Promise<DevProxy> {
  const sockets = new Set<Socket>();
  // Half-open allowed: a client may finish sending before the answer comes back.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    relay(client, options);
  });
  const port = await listenOnFreePort(server, options.host, options.port, options.log ?? console.warn);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
