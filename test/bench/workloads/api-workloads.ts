// The workloads that need the API's routes. Append and fan-out run on the real bundle; reads and the
// D1 count run on the bench entry (the same app plus seeding and D1 counters).
import { createSession, messagesPath, missingRoutes, signUp } from "../api.ts";
import { APP, indexFlushWaitMs, startApp } from "../app-stack.ts";
import type { BuiltBundle } from "../bundle.ts";
import { runFanout } from "../fanout.ts";
import { runLoad } from "../load.ts";
import type { BenchResults } from "../report.ts";
import { withRuntime } from "../runtime.ts";
import { measureD1Writes } from "./d1-writes.ts";
import { apiSession } from "./fanout-targets.ts";
import { measureReads } from "./reads.ts";

/** The append body, sent unchanged to the API and to the bare insert baseline. */
export const MESSAGE = JSON.stringify({
  content: "A benchmark message of about the length of a short chat turn, 100 bytes.",
});

export async function runApiWorkloads(
  results: BenchResults,
  bundles: { real: BuiltBundle; bench: BuiltBundle },
  progress: (text: string) => void,
): Promise<void> {
  const { options } = results;
  const load = { connections: options.connections, duration: options.duration, warmup: options.warmup };
  const skip = (reason: string) => {
    results.skipped.push(reason);
    progress(`skipped: ${reason}`);
  };

  const ready = await withRuntime(await startApp(bundles.real), async (app) => {
    const base = await app.url(APP);
    const missing = await missingRoutes(base);
    if (missing.rest.length > 0) {
      skip(`API workloads: the Worker does not serve ${missing.rest.join(", ")} yet`);
      return false;
    }
    const account = await signUp(base);
    const sessionId = await createSession(account, "bench append");
    progress("append: authenticated POST /v1/sessions/:id/messages");
    results.append = await runLoad({
      ...load,
      url: `${base}${messagesPath(sessionId)}`,
      method: "POST",
      headers: { authorization: `Bearer ${account.token}` },
      body: MESSAGE,
    });
    if (missing.realtime.length > 0) {
      skip(`Fan-out: the Worker does not serve ${missing.realtime.join(", ")} yet`);
    } else {
      progress(`fan-out: ${options.fanout.clients} WebSockets on one session, ${options.fanout.messages} messages`);
      results.fanout = await runFanout(await apiSession(account), options.fanout.clients, options.fanout.messages);
    }
    return true;
  });
  if (!ready) return;

  await withRuntime(await startApp(bundles.bench), async (app) => {
    const account = await signUp(await app.url(APP));
    // D1 first: the counters are per isolate, and seeded sessions would add their own index flushes.
    progress(`D1: statements over ${options.d1Appends} appends`);
    results.d1 = await measureD1Writes(account, { mf: app.mf, worker: APP }, options.d1Appends, indexFlushWaitMs());
    progress(`reads: recent ${options.recentLimit} at ${options.history.join(" and ")} messages of history`);
    results.reads = await measureReads(account, options);
  });
}
