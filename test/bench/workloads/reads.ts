// Reads vs history: the same "recent messages" page from a session with little history and from one
// with a lot. Flat latency means the read walks the seq key from the end instead of scanning.
import { type Account, createSession, recentMessages, recentPath } from "../api.ts";
import { type LoadOptions, type LoadResult, runPaired } from "../load.ts";
import type { BenchOptions } from "../options.ts";
import { SEED_METHOD, seedHistory } from "../seed/seed.ts";

export interface ReadsResult {
  history: [number, number];
  small: LoadResult;
  large: LoadResult;
  seedMs: number;
  seedMethod: string;
  /** Highest seq on the page read from the large session: equals its history when the page is the latest one. */
  largestSeqOnPage: number;
}

async function sessionWithHistory(account: Account, messages: number) {
  const sessionId = await createSession(account, `bench history ${messages}`);
  const seedMs = await seedHistory(account.base, sessionId, account.userId, messages);
  return { sessionId, seedMs };
}

export async function measureReads(account: Account, options: BenchOptions, cpuMs: () => number): Promise<ReadsResult> {
  const [smallHistory, largeHistory] = options.history;
  const small = await sessionWithHistory(account, smallHistory);
  const large = await sessionWithHistory(account, largeHistory);
  const page = await recentMessages(account, large.sessionId, options.recentLimit);
  if (page.items.length !== options.recentLimit) {
    throw new Error(`expected ${options.recentLimit} messages on the recent page, got ${page.items.length}`);
  }
  const load = (sessionId: string): LoadOptions => ({
    url: `${account.base}${recentPath(sessionId, options.recentLimit)}`,
    connections: options.connections,
    duration: options.duration,
    warmup: options.warmup,
    headers: { authorization: `Bearer ${account.token}` },
    cpuMs,
  });
  const [smallRun, largeRun] = await runPaired(load(small.sessionId), load(large.sessionId), options.rounds);
  return {
    history: options.history,
    small: smallRun,
    large: largeRun,
    seedMs: small.seedMs + large.seedMs,
    seedMethod: SEED_METHOD,
    largestSeqOnPage: Math.max(...page.items.map((item) => item.seq)),
  };
}
