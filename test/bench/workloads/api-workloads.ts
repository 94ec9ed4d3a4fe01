// The workloads that need the API's routes. Append (paired with the bare insert baseline) and fan-out
// run on the real bundle; reads and the D1 count on the bench entry (the same app plus seeding and
// D1 counters). Without the routes, only the baseline runs.
import { createSession, messagesPath, missingRoutes, signUp } from "../api.ts";
import { APP, indexFlushWaitMs, startApp } from "../app-stack.ts";
import type { BuiltBundle } from "../bundle.ts";
import { type FanoutResult, type FanoutTarget, runFanout, runPairedFanout } from "../fanout.ts";
import type { RepeatRequest } from "../instrumented/protocol.ts";
import { type LoadOptions, type LoadResult, runLoad, runPaired } from "../load.ts";
import type { BenchOptions } from "../options.ts";
import { withRuntime } from "../runtime.ts";
import { type D1WritesResult, measureD1Writes } from "./d1-writes.ts";
import { apiSession } from "./fanout-targets.ts";
import { type FirstWriteResult, measureFirstWrite } from "./first-write.ts";
import { measureReads, type ReadsResult } from "./reads.ts";

/** The append body, sent unchanged to the API and to the bare insert baseline. */
export const MESSAGE = JSON.stringify({
  content: "A benchmark message of about the length of a short chat turn, 100 bytes.",
});

/** The append replayed `count` times in-isolate (bench:compare's loop, bench:profile's loop stack). */
export function repeatedAppend(token: string, sessionId: string, count: number): RepeatRequest {
  return {
    count,
    method: "POST",
    path: messagesPath(sessionId),
    // As autocannon sends it: with a declared length, so the body limit checks the header only.
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "content-length": String(new TextEncoder().encode(MESSAGE).byteLength),
    },
    body: MESSAGE,
  };
}

export interface ApiResults {
  /** The bare DO insert baseline, measured in rounds alternating with the append. */
  insert: LoadResult;
  /** The bare broadcast baseline, its rounds alternating with the API's fan-out. */
  broadcast: FanoutResult;
  append?: LoadResult;
  fanout?: FanoutResult;
  firstWrite?: FirstWriteResult;
  reads?: ReadsResult;
  d1?: D1WritesResult;
  /** Workloads that did not run, and why (routes not there yet). */
  skipped: string[];
}

export async function runApiWorkloads(
  options: BenchOptions,
  bundles: { real: BuiltBundle; bench: BuiltBundle },
  baselines: { insert: LoadOptions; broadcast: FanoutTarget },
  progress: (text: string) => void,
): Promise<ApiResults> {
  const skipped: string[] = [];
  const skip = (reason: string) => {
    skipped.push(reason);
    progress(`skipped: ${reason}`);
  };

  const real = await withRuntime(await startApp(bundles.real), async (app) => {
    const base = await app.url(APP);
    const missing = await missingRoutes(base);
    const { clients, messages } = options.fanout;
    const broadcastAlone = () => {
      progress("baseline: bare hibernating broadcast");
      return runFanout(baselines.broadcast, clients, messages);
    };
    if (missing.rest.length > 0) {
      skip(`API workloads: the Worker does not serve ${missing.rest.join(", ")} yet`);
      progress("baseline: bare Durable Object insert");
      return { insert: await runLoad(baselines.insert), broadcast: await broadcastAlone() };
    }
    const account = await signUp(base);
    const sessionId = await createSession(account, "bench append");
    progress("append: authenticated POST /v1/sessions/:id/messages, alternating with the bare insert");
    const appendLoad: LoadOptions = {
      ...baselines.insert,
      url: `${base}${messagesPath(sessionId)}`,
      headers: { authorization: `Bearer ${account.token}` },
      cpuMs: app.cpuMs,
    };
    const [insert, append] = await runPaired(baselines.insert, appendLoad, options.rounds);
    progress(
      `first write: create a session and append to it, ${options.firstWrites} times, alternating with the bare insert`,
    );
    const firstWrite = await measureFirstWrite(account, baselines.insert, options.firstWrites);
    if (missing.realtime.length > 0) {
      skip(`Fan-out: the Worker does not serve ${missing.realtime.join(", ")} yet`);
      return { insert, append, firstWrite, broadcast: await broadcastAlone() };
    }
    progress(
      `fan-out: ${clients} WebSockets on one session, ${messages} messages, alternating with the bare broadcast`,
    );
    const api = await apiSession(account);
    const [broadcast, fanout] = await runPairedFanout(baselines.broadcast, api, clients, messages, options.rounds);
    return { insert, append, firstWrite, broadcast, fanout };
  });
  if (!real.append) return { ...real, skipped };

  return withRuntime(await startApp(bundles.bench), async (app) => {
    const account = await signUp(await app.url(APP));
    // D1 first: the counters are per isolate, and seeded sessions would add their own index flushes.
    progress(`D1: statements over ${options.d1Appends} appends`);
    const d1 = await measureD1Writes(account, { mf: app.mf, worker: APP }, options.d1Appends, indexFlushWaitMs());
    progress(`reads: recent ${options.recentLimit} at ${options.history.join(" and ")} messages of history`);
    const reads = await measureReads(account, options, app.cpuMs);
    return { ...real, d1, reads, skipped };
  });
}
