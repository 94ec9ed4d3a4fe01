// A bench-only entry for the object's own cost: the real app (to sign up and create the session),
// plus one route that drives SessionDO.appendMessage through its RPC from a minimal Worker, shaped
// like the bare insert baseline's Worker (parse the body, one RPC, one JSON reply).
import type { Env } from "../../../src/config/env.ts";
import app, { type SessionDO } from "../../../src/index.ts";
import { BENCH_PATHS } from "./protocol.ts";

// The Durable Object classes the bindings name, unchanged.
export * from "../../../src/index.ts";

/** The one method called here, typed from the class (DurableObjectStub<SessionDO> recurses too deep on JSON metadata). */
interface AppendStub {
  appendMessage(...args: Parameters<SessionDO["appendMessage"]>): Promise<ReturnType<SessionDO["appendMessage"]>>;
}

async function appendDirect(request: Request, env: Env, sessionId: string, authorId: string): Promise<Response> {
  const { content } = (await request.json()) as { content: string };
  const sessions: DurableObjectNamespace = env.SESSIONS;
  const stub = sessions.getByName(sessionId) as unknown as AppendStub;
  const result = await stub.appendMessage({ content: String(content), authorId });
  if (!result.ok) return Response.json(result.error, { status: 500 });
  return Response.json({ message: result.value.message }, { status: 201 });
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith(BENCH_PATHS.objectAppend) && request.method === "POST") {
      const [sessionId = "", authorId = ""] = pathname.slice(BENCH_PATHS.objectAppend.length).split("/");
      return appendDirect(request, env, sessionId, authorId);
    }
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
