// Node-side client of the bench entry's helpers (instrumented/entry.ts): seed history fast, read the
// D1 statement counters.
import type { D1Counts } from "../instrumented/counting-d1.ts";
import { BENCH_PATHS, type SeedRequest } from "../instrumented/protocol.ts";

export const SEED_METHOD =
  "SessionDO.appendMessage (the append route's RPC), 10,000 per SQLite transaction, from a bench-only entry";

async function request<T>(url: string, method: string, body?: object): Promise<T> {
  const response = await fetch(url, { method, body: body && JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Appends `count` messages to an existing session; returns the wall time in ms. */
export async function seedHistory(base: string, sessionId: string, authorId: string, count: number) {
  const started = performance.now();
  const chunk = 10_000;
  for (let from = 0; from < count; from += chunk) {
    const body: SeedRequest = { sessionId, authorId, from, count: Math.min(chunk, count - from) };
    await request(`${base}${BENCH_PATHS.seed}`, "POST", body);
  }
  return performance.now() - started;
}

export function readD1Counts(base: string, reset = false): Promise<D1Counts> {
  return request<D1Counts>(`${base}${BENCH_PATHS.d1Counts}`, reset ? "DELETE" : "GET");
}
