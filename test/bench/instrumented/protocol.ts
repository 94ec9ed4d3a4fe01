// What the bench entry (entry.ts, in workerd) and the harness (seed/seed.ts, in Node) agree on.
export const BENCH_PATHS = { d1Counts: "/__bench/d1-counts", seed: "/__bench/seed" } as const;

export interface SeedRequest {
  sessionId: string;
  authorId: string;
  from: number;
  count: number;
}
