// Abuse over real sockets, against the real stack (the deployed bundle in workerd): in one session, a
// client that floods is closed with 1008, one that sends an oversize frame with 1009, sockets past the
// session's and past one user's limit with 1008 (while the owner's reserved share still lets them in),
// and two well-behaved clients keep receiving every message in seq order.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localWorkerBindings } from "../../../infra/worker-config.ts";
import { type Account, createSession, signUp, socketUrl } from "../../bench/api.ts";
import { WAIT_MS } from "../../helpers/patience.ts";
import { append, me, readMessages, share } from "./client.ts";
import { openSocket, type SocketClient } from "./socket-client.ts";
import { buildApp, type Stack, startStack } from "./stack.ts";

/** The local stage the stack runs (test/bench/app-stack.ts): its values, not the defaults, so a fork may change them. */
const CONFIG = localWorkerBindings("bench");
const RATE = Number(CONFIG.WS_MAX_MESSAGES_PER_SECOND);
const MAX_FRAME_BYTES = Number(CONFIG.WS_MAX_FRAME_BYTES);
/** Small enough to reach: the owner's two sockets, the writer, the flooder and the oversize sender fill it. */
const MAX_SOCKETS = 5;
/** Non-owners together get MAX_SOCKETS - MAX_SOCKETS_PER_USER = 3: the writer, flooder and oversize sender. */
const MAX_SOCKETS_PER_USER = 2;
const STEADY_MS = 3_000;
/** Each good client sends this often: a quarter of the allowed rate. */
const GOOD_INTERVAL_MS = Math.ceil(4_000 / RATE);
const FLOOD_FRAMES = 400;

let work: string;
let stack: Stack;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "reliability-abuse-"));
  const bundle = await buildApp(work);
  stack = await startStack(bundle, {
    persistDir: join(work, "persist"),
    vars: {
      WS_MAX_SOCKETS_PER_SESSION: String(MAX_SOCKETS),
      WS_MAX_SOCKETS_PER_USER: String(MAX_SOCKETS_PER_USER),
    },
    migrate: true,
  });
});

afterAll(async () => {
  await stack?.runtime.dispose();
  await rm(work, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A limit that does not hold leaves a socket open: fail on time, naming what never happened. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function member(owner: Account, sessionId: string): Promise<Account> {
  const account = await signUp(stack.base);
  await share(owner, sessionId, (await me(account)).email, "editor");
  return account;
}

/** Sends well under the rate limit for STEADY_MS, each frame with a ref; returns how many it sent. */
async function behave(client: SocketClient, name: string): Promise<number> {
  let sent = 0;
  for (const started = Date.now(); Date.now() - started < STEADY_MS; sent += 1) {
    client.send({ v: 1, type: "message.create", ref: `${name}-${sent}`, content: `${name} ${sent}` });
    await sleep(GOOD_INTERVAL_MS);
  }
  return sent;
}

describe("WebSocket abuse", () => {
  it("cuts off a flooder (1008), an oversize frame (1009) and extra sockets (1008); others miss nothing", async () => {
    const owner = await signUp(stack.base);
    const sessionId = await createSession(owner, "abuse");
    const [writer, flooder, oversize] = [
      await member(owner, sessionId),
      await member(owner, sessionId),
      await member(owner, sessionId),
    ];
    const open = async (account: Account) => openSocket(await socketUrl(account, sessionId));

    const good = [await open(owner), await open(writer)];
    const floodSocket = await open(flooder);
    const oversizeSocket = await open(oversize);
    for (const client of [...good, floodSocket, oversizeSocket]) await client.first("hello");
    // A fourth member finds the non-owners' share full; the owner still gets in, up to their own cap.
    // The owner's extras authenticate with a bearer token instead of a ticket: both ways must hold the limits.
    const latecomer = await open(await member(owner, sessionId));
    expect(await latecomer.first("error")).toMatchObject({ code: "session_full" });
    expect((await within(latecomer.closed, WAIT_MS, "closing the socket past the limit")).code).toBe(1008);
    const bearerUrl = new URL(`/v1/sessions/${sessionId}/ws`, stack.base.replace(/^http/, "ws"));
    const ownerSecond = await openSocket(bearerUrl.href, { authorization: `Bearer ${owner.token}` });
    await ownerSecond.first("hello");
    const ownerThird = await openSocket(bearerUrl.href, { authorization: `Bearer ${owner.token}` });
    expect(await ownerThird.first("error")).toMatchObject({ code: "user_socket_limit" });
    expect((await within(ownerThird.closed, WAIT_MS, "closing the socket past the per-user limit")).code).toBe(1008);
    ownerSecond.ws.close(1000);

    // Steady traffic from the good clients and over HTTP, while the two abusers strike.
    let httpSent = 0;
    const http = (async () => {
      for (const started = Date.now(); Date.now() - started < STEADY_MS; httpSent += 1) {
        expect(await append(writer, sessionId, `http-${httpSent}`, `http ${httpSent}`)).toMatchObject({
          kind: "acked",
        });
        await sleep(100);
      }
    })();
    const steady = Promise.all([behave(good[0] as SocketClient, "owner"), behave(good[1] as SocketClient, "writer")]);
    await sleep(500);
    const floodStarted = Date.now();
    for (let i = 0; i < FLOOD_FRAMES; i += 1) floodSocket.send({ v: 1, type: "message.create", content: `flood ${i}` });
    const floodClosed = await within(floodSocket.closed, WAIT_MS, "closing the flooder");
    const floodSeconds = (Date.now() - floodStarted) / 1000;
    oversizeSocket.send({ v: 1, type: "message.create", content: "x".repeat(MAX_FRAME_BYTES) });
    const oversizeClosed = await within(oversizeSocket.closed, WAIT_MS, "closing the oversize sender");
    const [ownerSent, writerSent] = await steady;
    await http;

    expect(floodClosed.code).toBe(1008);
    expect(floodSocket.frames.some((frame) => frame.type === "error" && frame.code === "rate_limited")).toBe(true);
    expect(oversizeClosed.code).toBe(1009);
    expect(oversizeSocket.frames.some((frame) => frame.type === "error" && frame.code === "frame_too_large")).toBe(
      true,
    );

    // Every message, in seq order, with nothing lost or repeated, at both good clients.
    const stored = await readMessages(owner, sessionId);
    const lastSeq = stored.length;
    for (const client of good) {
      const deadline = Date.now() + WAIT_MS;
      while (client.seqs().at(-1) !== lastSeq && Date.now() < deadline) await sleep(50);
    }
    expect(stored.map((message) => message.seq)).toEqual(stored.map((_, i) => i + 1));
    for (const client of good) {
      expect(client.ws.readyState).toBe(client.ws.OPEN);
      expect(client.seqs()).toEqual(stored.map((message) => message.seq));
      expect(client.frames.filter((frame) => frame.type === "error")).toEqual([]);
    }

    // What each sender got in: all of the well-behaved traffic, a bounded burst of the flood, no oversize frame.
    const by = (account: Account) => stored.filter((message) => message.authorId === account.userId);
    const floodAccepted = by(flooder).length;
    expect(by(oversize)).toEqual([]);
    expect(floodAccepted).toBeGreaterThan(0);
    expect(floodAccepted).toBeLessThanOrEqual(2 * RATE + Math.ceil(RATE * floodSeconds) + 1);
    expect(by(owner)).toHaveLength(ownerSent);
    expect(by(writer)).toHaveLength(writerSent + httpSent);
    console.log(
      `socket abuse: ${floodAccepted} of ${FLOOD_FRAMES} flood frames accepted before the 1008 (${floodSeconds.toFixed(2)} s); ` +
        `good clients received all ${lastSeq} messages in order`,
    );
    for (const client of good) client.ws.close(1000);
  });
});
