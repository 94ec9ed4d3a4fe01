// `npm run bench`: bundles the Worker as alchemy does, starts it in Miniflare (the workerd alchemy
// pins) next to the baseline Workers, runs bounded workloads on loopback, prints one table with every
// figure as a ratio against a baseline measured in this run, and writes the JSON report.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildStaticAssets, CONSOLE_GZIP_BUDGET } from "../../infra/assets/index.ts";
import { WORKER_ENTRYPOINT } from "../../infra/core/runtime.ts";
import { BASELINE, baselineWorkers } from "./baselines/baselines.ts";
import { buildWorkerBundle } from "./bundle.ts";
import { runLoad } from "./load.ts";
import { describeMachine } from "./machine.ts";
import { parseOptions } from "./options.ts";
import { type BenchResults, renderTable, writeJson } from "./report.ts";
import { startRuntime, withRuntime } from "./runtime.ts";
import { MESSAGE, runApiWorkloads } from "./workloads/api-workloads.ts";
import { broadcastBaseline } from "./workloads/fanout-targets.ts";
import { measureSplitCosts } from "./workloads/split-costs.ts";
import { measureStartup } from "./workloads/startup.ts";

const BENCH_ENTRY = "test/bench/instrumented/entry.ts";
const OBJECT_ENTRY = "test/bench/instrumented/object-entry.ts";
const INSTANT_ENTRY = "test/bench/instrumented/instant-entry.ts";

const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const machine = describeMachine();
  const work = await mkdtemp(join(tmpdir(), "bench-"));
  try {
    progress("bundling the Worker as alchemy does");
    const entrypoint = WORKER_ENTRYPOINT;
    const real = await buildWorkerBundle({ entrypoint, outdir: join(work, "bundle") });
    const bench = await buildWorkerBundle({ entrypoint: BENCH_ENTRY, outdir: join(work, "bench-entry") });
    const object = await buildWorkerBundle({ entrypoint: OBJECT_ENTRY, outdir: join(work, "object-entry") });
    const instant = await buildWorkerBundle({ entrypoint: INSTANT_ENTRY, outdir: join(work, "instant-entry") });
    const assets = await buildStaticAssets({ outDir: join(work, "assets") });

    progress(`start → ready, ${options.startSamples} sample(s) each`);
    const startup = await measureStartup(real, options.startSamples);

    const load = { connections: options.connections, duration: options.duration, warmup: options.warmup };
    const results = await withRuntime(await startRuntime(baselineWorkers()), async (baselines) => {
      progress("baseline: bare Worker");
      // The baselines share one workerd, so its CPU during a baseline's own rounds is that baseline's.
      const okLoad = { ...load, url: await baselines.url(BASELINE.ok), cpuMs: baselines.cpuMs };
      const ok = await runLoad(okLoad);
      // The baselines stay up (idle, or alternating with the API's workloads): the API runs in its
      // own workerd.
      const insertUrl = await baselines.url(BASELINE.insert);
      const insert = { ...load, url: insertUrl, method: "POST", body: MESSAGE, cpuMs: baselines.cpuMs } as const;
      const broadcast = broadcastBaseline(await baselines.url(BASELINE.broadcast));
      const api = await runApiWorkloads(options, { real, bench }, { insert, broadcast }, progress);
      const split = api.append
        ? await measureSplitCosts(options, { object, instant }, { insert, ok: okLoad }, progress)
        : undefined;
      const measured: BenchResults = {
        machine,
        options,
        bundle: { rawBytes: real.rawBytes, gzipBytes: real.gzipBytes },
        console: { ...assets.console, budgetBytes: CONSOLE_GZIP_BUDGET },
        startup,
        baselines: { ok, insert: api.insert, broadcast: api.broadcast },
        skipped: api.skipped,
        append: api.append,
        split,
        firstWrite: api.firstWrite,
        fanout: api.fanout,
        reads: api.reads,
        d1: api.d1,
      };
      return measured;
    });

    console.log(renderTable(results));
    const out = options.out ?? join("bench-results", `bench-${machine.date.replace(/[:.]/g, "-")}.json`);
    await writeJson(results, out);
    progress(`JSON report: ${out}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
