// Start → ready: a fresh workerd with the API (bundle, D1, SessionDO) against one with the bare "ok"
// Worker. Ready is Miniflare's `ready` (every script loaded); first response adds GET /health.
import { APP, appWorker } from "../app-stack.ts";
import { BASELINE, baselineWorkers } from "../baselines/baselines.ts";
import type { BuiltBundle } from "../bundle.ts";
import { startRuntime } from "../runtime.ts";

export interface StartupResult {
  samples: number;
  app: { readyMs: number; firstResponseMs: number };
  bare: { readyMs: number; firstResponseMs: number };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
};

async function sample(worker: ReturnType<typeof appWorker>, path: string) {
  const runtime = await startRuntime([worker]);
  try {
    const response = await fetch(`${await runtime.url(worker.name as string)}${path}`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}\n${runtime.output()}`);
    // Miniflare's `ready` is when workerd listens; the response time is measured from the same start.
    return { readyMs: runtime.startMs, firstResponseMs: runtime.sinceStartMs() };
  } finally {
    await runtime.dispose();
  }
}

export async function measureStartup(bundle: BuiltBundle, samples: number): Promise<StartupResult> {
  const okWorker = baselineWorkers().find((worker) => worker.name === BASELINE.ok);
  if (!okWorker) throw new Error("the bare Worker baseline is missing");
  const app: { readyMs: number; firstResponseMs: number }[] = [];
  const bare: { readyMs: number; firstResponseMs: number }[] = [];
  for (let i = 0; i < samples; i += 1) {
    // Alternate, so a slow moment of the machine does not land on one side only.
    bare.push(await sample(okWorker, "/"));
    app.push(await sample(appWorker(bundle, APP), "/health"));
  }
  const summary = (list: typeof app) => ({
    readyMs: median(list.map((s) => s.readyMs)),
    firstResponseMs: median(list.map((s) => s.firstResponseMs)),
  });
  return { samples, app: summary(app), bare: summary(bare) };
}
