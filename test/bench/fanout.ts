// Fan-out: many WebSockets on one room, messages sent one at a time; for every (socket, message) the
// time from just before the send until the frame is parsed, plus losses, duplicates and order.
import WebSocket from "ws";
import { percentile } from "./load.ts";

export interface FanoutTarget {
  /** A URL to open for socket `index` (it may fetch a fresh ticket first). */
  socketUrl(index: number): Promise<string>;
  /** Sends one message through the normal write path (an HTTP POST); resolves on its response. */
  send(content: string): Promise<void>;
}

export interface FanoutResult {
  clients: number;
  messages: number;
  deliveries: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  p50: number;
  p99: number;
  max: number;
  /** Time to open every socket, tickets included. */
  connectMs: number;
}

/** A `message.created` frame as both the API and the broadcast baseline send it. */
function deliveredContent(data: WebSocket.RawData): { content: string; seq: number } | undefined {
  try {
    const frame: unknown = JSON.parse(data.toString());
    if (typeof frame !== "object" || frame === null || !("type" in frame) || frame.type !== "message.created") return;
    const message = "message" in frame ? frame.message : undefined;
    if (typeof message !== "object" || message === null) return;
    const { content, seq } = message as { content?: unknown; seq?: unknown };
    if (typeof content === "string" && typeof seq === "number") return { content, seq };
  } catch {
    // not JSON: not a delivery
  }
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
    socket.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
  });
}

interface Room {
  /** Sends the next `count` messages, one at a time. */
  send(count: number): Promise<void>;
  /** Waits for stragglers, closes every socket and sums up. */
  finish(): Promise<FanoutResult>;
}

async function openRoom(target: FanoutTarget, clients: number): Promise<Room> {
  const tag = `fanout-${crypto.randomUUID().slice(0, 8)}-`;
  const sentAt = new Map<number, number>();
  const received = new Map<number, number>(); // message index → sockets that got it
  const latencies: number[] = [];
  let sent = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let waiting: { index: number; resolve: () => void } | undefined;

  const connectStart = performance.now();
  const sockets: WebSocket[] = [];
  for (let i = 0; i < clients; i += 10) {
    const batch = Array.from({ length: Math.min(10, clients - i) }, (_, k) => target.socketUrl(i + k).then(open));
    sockets.push(...(await Promise.all(batch)));
  }
  const connectMs = performance.now() - connectStart;

  for (const socket of sockets) {
    const seen = new Set<number>();
    let lastIndex = -1;
    let lastSeq = -1;
    socket.on("message", (data) => {
      const now = performance.now();
      const delivered = deliveredContent(data);
      if (!delivered?.content.startsWith(tag)) return;
      const index = Number(delivered.content.slice(tag.length));
      if (seen.has(index)) {
        duplicates += 1;
        return;
      }
      seen.add(index);
      if (index < lastIndex || delivered.seq <= lastSeq) outOfOrder += 1;
      lastIndex = index;
      lastSeq = delivered.seq;
      latencies.push(now - (sentAt.get(index) ?? now));
      const count = (received.get(index) ?? 0) + 1;
      received.set(index, count);
      if (waiting?.index === index && count === clients) waiting.resolve();
    });
  }

  return {
    async send(count) {
      for (const end = sent + count; sent < end; sent += 1) {
        const index = sent;
        const allDelivered = new Promise<void>((resolve) => {
          waiting = { index, resolve };
        });
        sentAt.set(index, performance.now());
        await target.send(`${tag}${index}`);
        // One message in flight at a time, so a latency never includes queueing behind our own sends.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([allDelivered, new Promise((r) => (timer = setTimeout(r, 5_000)))]);
        clearTimeout(timer);
      }
    },
    async finish() {
      await new Promise((r) => setTimeout(r, 200)); // stragglers after a wait timed out
      for (const socket of sockets) socket.terminate();
      latencies.sort((a, b) => a - b);
      return {
        clients,
        messages: sent,
        deliveries: latencies.length,
        lost: clients * sent - latencies.length,
        duplicates,
        outOfOrder,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? Number.NaN,
        connectMs,
      };
    },
  };
}

export async function runFanout(target: FanoutTarget, clients: number, messages: number): Promise<FanoutResult> {
  const room = await openRoom(target, clients);
  await room.send(messages);
  return room.finish();
}

/** Both rooms open at once, messages sent to each in alternating rounds (see load.ts, runPaired). */
export async function runPairedFanout(
  a: FanoutTarget,
  b: FanoutTarget,
  clients: number,
  messages: number,
  rounds: number,
): Promise<[FanoutResult, FanoutResult]> {
  const rooms = [await openRoom(a, clients), await openRoom(b, clients)] as const;
  for (let round = 0; round < rounds; round += 1) {
    const count = Math.floor(messages / rounds) + (round < messages % rounds ? 1 : 0);
    for (const room of rooms) await room.send(count);
  }
  return [await rooms[0].finish(), await rooms[1].finish()];
}
