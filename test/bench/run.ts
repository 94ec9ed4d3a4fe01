// `npm run bench`: bundles the Worker as alchemy does, starts it in Miniflare (the workerd alchemy
// pins) next to the baseline Workers, runs bounded workloads on loopback, prints one table with every
// figure as a ratio against a baseline measured in this run, and writes the JSON report.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WORKER_ENTRYPOINT } from "../../infra/runtime.ts";
import { type Account, createSession, messagesPath, missingRoutes, signUp } from "./api.ts";
import { APP, applyMigrations, appWorker } from "./app-stack.ts";
import { BASELINE, baselineWorkers } from "./baselines/baselines.ts";
import { buildWorkerBundle } from "./bundle.ts";
import { runFanout } from "./fanout.ts";
import { runLoad } from "./load.ts";
import { describeMachine } from "./machine.ts";
import { parseOptions } from "./options.ts";
import { type BenchResults, renderTable, writeJson } from "./report.ts";
import { type Runtime, startRuntime } from "./runtime.ts";
import { measureD1Writes } from "./workloads/d1-writes.ts";
import { apiSession, broadcastBaseline } from "./workloads/fanout-targets.ts";
import { measureReads } from "./workloads/reads.ts";
import { measureStartup } from "./workloads/startup.ts";

const BENCH_ENTRY = "test/bench/instrumented/entry.ts";
/** The append body, sent unchanged to the API and to the bare insert baseline. */
const MESSAGE = JSON.stringify({ content: "A benchmark message of about the length of a short chat turn, 100 bytes." });

const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);

async function withRuntime<T>(runtime: Runtime, use: (runtime: Runtime) => Promise<T>): Promise<T> {
  try {
    return await use(runtime);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nworkerd output:\n${runtime.output()}`);
  } finally {
    await runtime.dispose();
  }
}

async function startApp(bundle: Awaited<ReturnType<typeof buildWorkerBundle>>) {
  const runtime = await startRuntime([appWorker(bundle)]);
  await applyMigrations(runtime);
  return runtime;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const machine = describeMachine();
  const work = await mkdtemp(join(tmpdir(), "bench-"));
  try {
    progress("bundling the Worker as alchemy does");
    const bundle = await buildWorkerBundle({ entrypoint: WORKER_ENTRYPOINT, outdir: join(work, "bundle") });
    const minified = await buildWorkerBundle({
      entrypoint: WORKER_ENTRYPOINT,
      outdir: join(work, "min"),
      minify: true,
    });
    const benchBundle = await buildWorkerBundle({ entrypoint: BENCH_ENTRY, outdir: join(work, "bench-entry") });

    progress(`start → ready, ${options.startSamples} sample(s) each`);
    const startup = await measureStartup(bundle, options.startSamples);

    const load = { connections: options.connections, duration: options.duration, warmup: options.warmup };
    const baselineRuntime = await startRuntime(baselineWorkers());
    const results = await withRuntime(baselineRuntime, async (baselines) => {
      const url = (name: string) => baselines.url(name);
      progress("baseline: bare Worker");
      const ok = await runLoad({ ...load, url: await url(BASELINE.ok) });
      progress("baseline: bare Durable Object insert");
      const insert = await runLoad({ ...load, url: await url(BASELINE.insert), method: "POST", body: MESSAGE });
      progress("baseline: bare hibernating broadcast");
      const { clients, messages } = options.fanout;
      const broadcast = await runFanout(broadcastBaseline(await url(BASELINE.broadcast)), clients, messages);
      const partial: BenchResults = {
        machine,
        options,
        bundle: { rawBytes: bundle.rawBytes, gzipBytes: bundle.gzipBytes, minifiedGzipBytes: minified.gzipBytes },
        startup,
        baselines: { ok, insert, broadcast },
      };
      return runApiWorkloads(partial, bundle, benchBundle);
    });

    console.log(renderTable(results));
    const stamp = machine.date.replace(/[:.]/g, "-");
    const out = options.out ?? join("bench-results", `bench-${stamp}.json`);
    await writeJson(results, out);
    progress(`JSON report: ${out}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function runApiWorkloads(
  results: BenchResults,
  bundle: Awaited<ReturnType<typeof buildWorkerBundle>>,
  benchBundle: Awaited<ReturnType<typeof buildWorkerBundle>>,
): Promise<BenchResults> {
  const { options } = results;
  const load = { connections: options.connections, duration: options.duration, warmup: options.warmup };

  const real = await startApp(bundle);
  const ready = await withRuntime(real, async (app) => {
    const base = await app.url(APP);
    const missing = await missingRoutes(base);
    if (missing.length > 0) {
      results.skipped = `the Worker does not serve ${missing.join(", ")} yet`;
      progress(`API workloads skipped: ${results.skipped}`);
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
    progress("fan-out: WebSockets on one session");
    results.fanout = await runFanout(await apiSession(account), options.fanout.clients, options.fanout.messages);
    return true;
  });
  if (!ready) return results;

  // Reads and D1 counts run on the bench entry: the same app, plus seeding and D1 counters.
  const bench = await startApp(benchBundle);
  await withRuntime(bench, async (app) => {
    const account: Account = await signUp(await app.url(APP));
    progress(`reads: recent ${options.recentLimit} at ${options.history.join(" and ")} messages of history`);
    results.reads = await measureReads(account, options);
    progress(`D1: statements over ${options.d1Appends} appends`);
    results.d1 = await measureD1Writes(account, { mf: app.mf, worker: APP }, options.d1Appends, 20_000);
  });
  return results;
}

await main();
