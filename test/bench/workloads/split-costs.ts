// The append's two costs apart, each against its own baseline in the same run. The object: SessionDO's
// append driven through its RPC from a minimal Worker, against the bare insert driven the same way.
// The Worker: the real app in front of objects that answer at once, against the bare Worker.
import { type Account, appendMessage, createSession, messagesPath, signUp } from "../api.ts";
import { APP, startApp } from "../app-stack.ts";
import type { BuiltBundle } from "../bundle.ts";
import { BENCH_PATHS } from "../instrumented/protocol.ts";
import { type LoadOptions, type LoadResult, runPaired } from "../load.ts";
import type { BenchOptions } from "../options.ts";
import { withRuntime } from "../runtime.ts";

export interface PairedRun {
  baseline: LoadResult;
  run: LoadResult;
}

export interface SplitCosts {
  /** SessionDO.appendMessage over RPC from a minimal Worker, paired with the bare insert. */
  object: PairedRun;
  /** The authenticated append route against instant objects, paired with the bare Worker. */
  worker: PairedRun;
  /** Object RPC calls per authenticated append, counted by the instant namespace over a few appends. */
  rpcPerAppend: number;
}

const COUNTED_APPENDS = 20;

async function rpcCalls(base: string, sessionId: string): Promise<number> {
  const response = await fetch(`${base}${BENCH_PATHS.rpcCalls}${sessionId}`);
  return ((await response.json()) as { rpcCalls: number }).rpcCalls;
}

/** On a session of its own, so no request left over from the load run is counted. */
async function rpcPerAppend(base: string, account: Account): Promise<number> {
  const sessionId = await createSession(account, "bench rpc count");
  const before = await rpcCalls(base, sessionId);
  for (let i = 0; i < COUNTED_APPENDS; i += 1) await appendMessage(account, sessionId, `counted ${i}`);
  return ((await rpcCalls(base, sessionId)) - before) / COUNTED_APPENDS;
}

async function accountWithSession(base: string): Promise<{ account: Account; sessionId: string }> {
  const account = await signUp(base);
  return { account, sessionId: await createSession(account, "bench split costs") };
}

export async function measureSplitCosts(
  options: BenchOptions,
  bundles: { object: BuiltBundle; instant: BuiltBundle },
  baselines: { insert: LoadOptions; ok: LoadOptions },
  progress: (text: string) => void,
): Promise<SplitCosts> {
  const object = await withRuntime(await startApp(bundles.object), async (app) => {
    const base = await app.url(APP);
    // Created through the API, so the object is in the state the append route finds it in.
    const { account, sessionId } = await accountWithSession(base);
    progress("object cost: SessionDO.appendMessage over RPC from a minimal Worker, alternating with the bare insert");
    const direct: LoadOptions = {
      ...baselines.insert,
      url: `${base}${BENCH_PATHS.objectAppend}${sessionId}/${account.userId}`,
      cpuMs: app.cpuMs,
    };
    const [baseline, run] = await runPaired(baselines.insert, direct, options.rounds);
    return { baseline, run };
  });
  const worker = await withRuntime(await startApp(bundles.instant), async (app) => {
    const base = await app.url(APP);
    const { account, sessionId } = await accountWithSession(base);
    progress("Worker cost: authenticated append against instant objects, alternating with the bare Worker");
    const append: LoadOptions = {
      ...baselines.insert,
      url: `${base}${messagesPath(sessionId)}`,
      headers: { authorization: `Bearer ${account.token}` },
      cpuMs: app.cpuMs,
    };
    const [baseline, run] = await runPaired(baselines.ok, append, options.rounds);
    return { baseline, run, rpcPerAppend: await rpcPerAppend(base, account) };
  });
  return { object, worker: { baseline: worker.baseline, run: worker.run }, rpcPerAppend: worker.rpcPerAppend };
}
