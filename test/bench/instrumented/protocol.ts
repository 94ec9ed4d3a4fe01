// What the bench entries (instrumented/*, in workerd) and the harness (in Node) agree on.
export const BENCH_PATHS = {
  d1Counts: "/__bench/d1-counts",
  seed: "/__bench/seed",
  /** `POST {objectAppend}<sessionId>/<authorId>` with the append body: SessionDO's RPC, no app around it. */
  objectAppend: "/__bench/object/",
  /** `POST` a RepeatRequest: the instant entry serves it `count` times in a row inside one request. */
  repeat: "/__bench/repeat",
  /** `GET {rpcCalls}<sessionId>`: the RPC calls that instant object has had so far. */
  rpcCalls: "/__bench/rpc-calls/",
} as const;

/** One request replayed in-isolate, so its Worker CPU is measured without sockets or queueing. */
export interface RepeatRequest {
  count: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SeedRequest {
  sessionId: string;
  authorId: string;
  from: number;
  count: number;
}
