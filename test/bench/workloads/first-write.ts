// First write to a new session: create it and append its first message (two requests, as a client
// does), against the bare insert's first row in a new object. One at a time, alternating, so each
// sample pays for a fresh object and nothing queues behind it.
import { type Account, appendMessage, createSession } from "../api.ts";
import { percentile } from "../load.ts";

export interface FirstWriteResult {
  samples: number;
  /** Median ms: create + first message through the API. */
  app: number;
  /** Median ms of each half: where the time goes. */
  create: number;
  firstAppend: number;
  /** Median ms: one insert into an object that did not exist. */
  bare: number;
}

async function bareFirstInsert(insertUrl: string, body: string): Promise<number> {
  const url = new URL(insertUrl);
  url.searchParams.set("object", crypto.randomUUID());
  const started = performance.now();
  const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`bare first insert: HTTP ${response.status}`);
  return performance.now() - started;
}

async function appFirstWrite(account: Account, content: string) {
  const started = performance.now();
  const sessionId = await createSession(account, "bench first write");
  const created = performance.now();
  await appendMessage(account, sessionId, content);
  const ended = performance.now();
  return { total: ended - started, create: created - started, firstAppend: ended - created };
}

export async function measureFirstWrite(
  account: Account,
  insert: { url: string; body?: string },
  samples: number,
): Promise<FirstWriteResult> {
  const body = insert.body ?? "{}";
  const { content } = JSON.parse(body) as { content: string };
  const app: Awaited<ReturnType<typeof appFirstWrite>>[] = [];
  const bare: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    bare.push(await bareFirstInsert(insert.url, body));
    app.push(await appFirstWrite(account, content));
  }
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  return {
    samples,
    app: median(app.map((sample) => sample.total)),
    create: median(app.map((sample) => sample.create)),
    firstAppend: median(app.map((sample) => sample.firstAppend)),
    bare: median(bare),
  };
}
