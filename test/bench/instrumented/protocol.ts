// What the bench entries (instrumented/*, in workerd) and the harness (in Node) agree on.
export const BENCH_PATHS = {
  d1Counts: "/__bench/d1-counts",
  seed: "/__bench/seed",
  /** `POST {objectAppend}<sessionId>/<authorId>` with the append body: SessionDO's RPC, no app around it. */
  objectAppend: "/__bench/object/",
} as const;

export interface SeedRequest {
  sessionId: string;
  authorId: string;
  from: number;
  count: number;
}
