// D1 statements per 1,000 appended messages, counted at the app's D1 binding (bench entry) over the
// appends and until the session's index row in D1 has caught up with them.
import type { Miniflare } from "miniflare";
import { type Account, appendMessage, createSession } from "../api.ts";
import { D1_BINDING } from "../app-stack.ts";
import type { D1Counts } from "../instrumented/counting-d1.ts";
import { readD1Counts } from "../seed/seed.ts";

export interface D1WritesResult {
  appends: number;
  appendMs: number;
  counts: D1Counts;
  writesPer1000: number;
  readsPer1000: number;
  /** From the last append until the D1 index row showed every message; null if it never did. */
  indexCaughtUpMs: number | null;
  /** D1 round trips of one first write to a new session (create + first message), token cached. */
  firstWriteRoundTrips: number;
}

const CONCURRENCY = 10;

async function indexedCount(mf: Miniflare, worker: string, sessionId: string): Promise<number> {
  // Read through Miniflare, outside the app's counted binding.
  const db = await mf.getD1Database(D1_BINDING, worker);
  const row = await db
    .prepare("SELECT message_count FROM sessions WHERE id = ?")
    .bind(sessionId)
    .first<{ message_count: number }>();
  return row?.message_count ?? 0;
}

export async function measureD1Writes(
  account: Account,
  runtime: { mf: Miniflare; worker: string },
  appends: number,
  waitMs: number,
): Promise<D1WritesResult> {
  // Sign-up costs are not write costs: one authenticated read caches the token (and records its use).
  const warm = await fetch(`${account.base}/v1/sessions`, { headers: { authorization: `Bearer ${account.token}` } });
  if (!warm.ok) throw new Error(`GET /v1/sessions: HTTP ${warm.status}`);
  await warm.arrayBuffer();
  await readD1Counts(account.base, true);
  const sessionId = await createSession(account, "bench d1 writes");
  await appendMessage(account, sessionId, "first message");
  const firstWriteRoundTrips = (await readD1Counts(account.base, true)).roundTrips;
  const started = performance.now();
  let sent = 0;
  const worker = async () => {
    while (sent < appends) {
      sent += 1;
      await appendMessage(account, sessionId, `counted message ${sent}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const appended = performance.now();
  let indexCaughtUpMs: number | null = null;
  while (performance.now() - appended < waitMs) {
    if ((await indexedCount(runtime.mf, runtime.worker, sessionId)) >= appends + 1) {
      indexCaughtUpMs = performance.now() - appended;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const counts = await readD1Counts(account.base);
  const per1000 = (value: number) => (value * 1000) / appends;
  return {
    appends,
    appendMs: appended - started,
    counts,
    writesPer1000: per1000(counts.writes),
    readsPer1000: per1000(counts.reads),
    indexCaughtUpMs,
    firstWriteRoundTrips,
  };
}
