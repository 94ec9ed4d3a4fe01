// A bench-only Worker entry: the real app and SessionDO, plus (1) every D1 statement counted
// (counting-d1.ts) and (2) a fast way to seed history. Only the reads and D1-writes workloads run
// it; append, fan-out, start and size are measured on the real bundle.
import type { Env } from "../../../src/config/env.ts";
import app, { SessionDO as AppSessionDO } from "../../../src/index.ts";
import { countingD1, d1Counts, resetD1Counts } from "./counting-d1.ts";
import { BENCH_PATHS, type SeedRequest } from "./protocol.ts";

// Every other export of the real entry (other Durable Object classes) unchanged; SessionDO below wins.
export * from "../../../src/index.ts";

// One counted env per real env, so per-env caches in the app (config, limits) keep working.
const counted = new WeakMap<Env, Env>();

function countingEnv(env: Env): Env {
  let wrapped = counted.get(env);
  if (!wrapped) {
    wrapped = { ...env, DB: countingD1(env.DB) };
    counted.set(env, wrapped);
  }
  return wrapped;
}

export class SessionDO extends AppSessionDO {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, countingEnv(env));
  }

  /**
   * Seeds history through the object's own `appendMessage` (what the append route calls over RPC),
   * so every invariant holds, but `count` appends share one SQLite transaction instead of one each.
   */
  seedHistory({ authorId, from, count }: SeedRequest) {
    return this.ctx.storage.transactionSync(() => {
      for (let i = 0; i < count; i += 1) {
        const result = this.appendMessage({ role: "user", content: `history message ${from + i}`, authorId });
        if (!result.ok) throw new Error(`seeding failed at ${from + i}: ${result.error.code} ${result.error.message}`);
      }
      return { seeded: count };
    });
  }
}

async function seed(request: Request, env: Env): Promise<Response> {
  const input = (await request.json()) as SeedRequest;
  const sessions = env.SESSIONS as unknown as DurableObjectNamespace<SessionDO>;
  return Response.json(await sessions.getByName(input.sessionId).seedHistory(input));
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    const { pathname } = new URL(request.url);
    if (pathname === BENCH_PATHS.seed && request.method === "POST") return seed(request, env);
    if (pathname === BENCH_PATHS.d1Counts) {
      const body = d1Counts();
      if (request.method === "DELETE") resetD1Counts();
      return Response.json(body);
    }
    return app.fetch(request, countingEnv(env), ctx);
  },
} satisfies ExportedHandler<Env>;
