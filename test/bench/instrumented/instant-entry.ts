// A bench-only entry for the Worker's own cost: the real app, with SESSIONS replaced by an
// in-isolate namespace whose objects answer at once. What an append then costs is the Worker's
// work alone: routing, middleware, authentication, membership, validation, the error model.
import type { Env } from "../../../src/config/env.ts";
import app, { type SessionDO } from "../../../src/index.ts";
import { BENCH_PATHS, type RepeatRequest } from "./protocol.ts";

// The Durable Object classes the bindings name, unchanged (the real SESSIONS is simply not used).
export * from "../../../src/index.ts";

type Rpc<K extends keyof SessionDO> = SessionDO[K] extends (...args: infer A) => infer R
  ? (...args: A) => Promise<Awaited<R>>
  : never;

/** The methods the create and append routes call, typed from SessionDO so the two cannot drift apart. */
interface InstantSession {
  initSession: Rpc<"initSession">;
  appendMessage: Rpc<"appendMessage">;
}

/** Calls that reached each object, by session id: the append path should make one per request. */
const rpcCalls = new Map<string, number>();

function instantSession(name: string): InstantSession {
  const called = () => rpcCalls.set(name, (rpcCalls.get(name) ?? 0) + 1);
  let seq = 0;
  return {
    async initSession({ id, ownerId, title, metadata, createdAt }) {
      called();
      const at = new Date(createdAt ?? Date.now()).toISOString();
      const session = { id, ownerId, title: title ?? null, metadata: metadata ?? {}, createdAt: at, updatedAt: at };
      const counts = { messageCount: 0, openTaskCount: 0, lastSeq: 0, lastMessageAt: null };
      return { ok: true, value: { created: true, session: { ...session, ...counts } } };
    },
    async appendMessage({ content, role = "user", metadata = {}, authorId }) {
      called();
      seq += 1;
      const message = { id: `msg_${seq}`, seq, role, content, metadata, authorId, createdAt: new Date().toISOString() };
      return { ok: true, value: { created: true, message } };
    },
  };
}

const objects = new Map<string, InstantSession>();

/** Only what the routes use (`getByName`); anything else is a bench bug and says so. */
const instantNamespace = new Proxy(
  {
    getByName(name: string) {
      let object = objects.get(name);
      if (!object) {
        object = instantSession(name);
        objects.set(name, object);
      }
      return object;
    },
  },
  {
    get(target, property) {
      if (property === "getByName") return target.getByName;
      throw new Error(`the instant SESSIONS namespace has no ${String(property)}`);
    },
  },
) as unknown as DurableObjectNamespace;

const instantEnvs = new WeakMap<Env, Env>();

/** Serves one request `count` times, one after another; answers how many got a 2xx. */
async function repeat(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const { count, method, path, headers, body } = (await request.json()) as RepeatRequest;
  const url = new URL(path, request.url).href;
  let succeeded = 0;
  for (let i = 0; i < count; i += 1) {
    const response = await app.fetch(new Request(url, { method, headers, body }), env, ctx);
    await response.arrayBuffer();
    if (response.ok) succeeded += 1;
  }
  return Response.json({ succeeded });
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    let instant = instantEnvs.get(env);
    if (!instant) {
      instant = { ...env, SESSIONS: instantNamespace } as Env;
      instantEnvs.set(env, instant);
    }
    // Plain string checks: the measured append should pay as little as possible for the bench's routes.
    if (request.url.endsWith(BENCH_PATHS.repeat)) return repeat(request, instant, ctx);
    if (request.url.includes(BENCH_PATHS.rpcCalls)) {
      const sessionId = new URL(request.url).pathname.slice(BENCH_PATHS.rpcCalls.length);
      return Response.json({ rpcCalls: rpcCalls.get(sessionId) ?? 0 });
    }
    return app.fetch(request, instant, ctx);
  },
} satisfies ExportedHandler<Env>;
