// `npm run bench:compare`: a paired before/after run for one change. `-- --save NAME` bundles the
// current tree (the deployed app, the Worker in front of instant objects, SessionDO driven
// directly) into bench-results/variants/NAME; `-- BEFORE AFTER` runs two saved variants side by
// side, each stack of one against the same stack of the other in alternating rounds, and prints
// throughput, workerd CPU per request and start → ready for both, with the ratio after / before.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type Account, appendMessage, createSession, messagesPath, signUp } from "./api.ts";
import { APP, appWorker, startApp } from "./app-stack.ts";
import { type BuiltBundle, buildWorkerBundle } from "./bundle.ts";
import { BENCH_PATHS } from "./instrumented/protocol.ts";
import { type LoadOptions, type LoadResult, runPaired } from "./load.ts";
import { type Runtime, startRuntime } from "./runtime.ts";
import { MESSAGE, repeatedAppend } from "./workloads/api-workloads.ts";

const VARIANTS = "bench-results/variants";
const STACKS = {
  /** The authenticated append through the real app, objects answering at once: the Worker's cost. */
  worker: "test/bench/instrumented/instant-entry.ts",
  /** SessionDO.appendMessage over RPC from a minimal Worker: the object's cost. */
  object: "test/bench/instrumented/object-entry.ts",
  /** The authenticated append through the real app and the real SessionDO. */
  full: "src/index.ts",
} as const;
type Stack = keyof typeof STACKS;

async function save(name: string) {
  const root = resolve(VARIANTS, name);
  const saved: Partial<Record<Stack, BuiltBundle>> = {};
  for (const [stack, entrypoint] of Object.entries(STACKS) as [Stack, string][]) {
    saved[stack] = await buildWorkerBundle({ entrypoint, outdir: join(root, stack) });
  }
  await writeFile(join(root, "bundles.json"), JSON.stringify(saved, null, 2));
  console.log(`saved ${name}: ${root}`);
}

async function load(name: string): Promise<Record<Stack, BuiltBundle>> {
  return JSON.parse(await readFile(resolve(VARIANTS, name, "bundles.json"), "utf8"));
}

async function appendLoad(stack: Stack, app: Runtime, seconds: number): Promise<LoadOptions> {
  const base = await app.url(APP);
  const account = await signUp(base);
  const sessionId = await createSession(account, "bench compare");
  const path =
    stack === "object" ? `${BENCH_PATHS.objectAppend}${sessionId}/${account.userId}` : messagesPath(sessionId);
  return {
    url: `${base}${path}`,
    connections: 50,
    duration: seconds,
    warmup: 2,
    method: "POST",
    body: MESSAGE,
    headers: { authorization: `Bearer ${account.token}` },
    cpuMs: app.cpuMs,
  };
}

const line = (name: string, r: LoadResult) =>
  `${name.padEnd(8)} ${r.rps.toFixed(0).padStart(6)} req/s  ${r.cpuMsPerRequest.toFixed(3)} ms CPU/req  p50 ${r.p50.toFixed(2)} ms  errors ${r.errors + r.non2xx}`;

async function comparePair(
  stack: Stack,
  bundles: [BuiltBundle, BuiltBundle],
  names: [string, string],
  seconds: number,
  rounds: number,
) {
  const apps = [await startApp(bundles[0]), await startApp(bundles[1])] as const;
  try {
    const loads = [await appendLoad(stack, apps[0], seconds), await appendLoad(stack, apps[1], seconds)] as const;
    const [a, b] = await runPaired(loads[0], loads[1], rounds);
    console.log(`\n${stack}: append, 50 connections, ${rounds} alternating rounds, ${seconds} s each side`);
    console.log(line(names[0], a));
    console.log(line(names[1], b));
    console.log(
      `${"ratio".padEnd(8)} ${(b.rps / a.rps).toFixed(3)} × throughput, ${(b.cpuMsPerRequest / a.cpuMsPerRequest).toFixed(3)} × CPU per request (after / before)`,
    );
  } finally {
    for (const app of apps) await app.dispose();
  }
}

/**
 * The Worker's CPU per append with no sockets and no queueing: the instant entry replays the
 * authenticated append `count` times inside one request, each side in turn, and workerd's CPU
 * around each batch is divided by `count`. Steadier than a load run on a shared machine.
 */
async function compareLoop(bundles: [BuiltBundle, BuiltBundle], names: [string, string], rounds: number) {
  const count = 500;
  const apps = [await startApp(bundles[0]), await startApp(bundles[1])] as const;
  try {
    const batches = await Promise.all(
      apps.map(async (app) => {
        const base = await app.url(APP);
        const account = await signUp(base);
        const sessionId = await createSession(account, "bench compare loop");
        const repeat = repeatedAppend(account.token, sessionId, count);
        return async () => {
          const before = app.cpuMs();
          const response = await fetch(`${base}${BENCH_PATHS.repeat}`, {
            method: "POST",
            body: JSON.stringify(repeat),
          });
          const { succeeded } = (await response.json()) as { succeeded: number };
          if (succeeded !== count) throw new Error(`${succeeded} of ${count} appends succeeded`);
          return (app.cpuMs() - before) / count;
        };
      }),
    );
    const samples: [number[], number[]] = [[], []];
    for (const side of [0, 1] as const) await batches[side]?.(); // warm-up
    for (let round = 0; round < rounds; round += 1) {
      for (const side of [0, 1] as const) samples[side].push((await batches[side]?.()) ?? Number.NaN);
    }
    const [a, b] = [median(samples[0]), median(samples[1])];
    // The least disturbed batch is the best estimate of the code's own cost on a shared machine.
    const [minA, minB] = [Math.min(...samples[0]), Math.min(...samples[1])];
    const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
    console.log(`\nloop: ${count} authenticated appends in-isolate (instant objects), ${rounds} alternating batches`);
    console.log(`median CPU per append: ${names[0]} ${us(a)}, ${names[1]} ${us(b)}, ratio ${(b / a).toFixed(3)} ×`);
    console.log(
      `least CPU per append:  ${names[0]} ${us(minA)}, ${names[1]} ${us(minB)}, ratio ${(minB / minA).toFixed(3)} ×`,
    );
    console.log(`  batches ${names[0]}: ${samples[0].map((v) => (v * 1000).toFixed(0)).join(" ")}`);
    console.log(`  batches ${names[1]}: ${samples[1].map((v) => (v * 1000).toFixed(0)).join(" ")}`);
  } finally {
    for (const app of apps) await app.dispose();
  }
}

/** First write to a new session (create + first message), one at a time, alternating sides. */
async function compareFirstWrite(bundles: [BuiltBundle, BuiltBundle], names: [string, string], samples: number) {
  const apps = [await startApp(bundles[0]), await startApp(bundles[1])] as const;
  try {
    const accounts = await Promise.all(apps.map(async (app) => signUp(await app.url(APP))));
    const times: [number[], number[]] = [[], []];
    for (let i = 0; i <= samples; i += 1) {
      for (const side of [0, 1] as const) {
        const account = accounts[side] as Account;
        const started = performance.now();
        const sessionId = await createSession(account, "bench compare first write");
        await appendMessage(account, sessionId, "first");
        if (i > 0) times[side].push(performance.now() - started); // the first one warms up
      }
    }
    const [a, b] = [median(times[0]), median(times[1])];
    console.log(`\nfirst write (create + first message), median of ${samples} alternating:`);
    console.log(`${names[0]} ${a.toFixed(2)} ms, ${names[1]} ${b.toFixed(2)} ms, ratio ${(b / a).toFixed(3)} ×`);
  } finally {
    for (const app of apps) await app.dispose();
  }
}

const median = (values: number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;

async function compareStart(bundles: [BuiltBundle, BuiltBundle], names: [string, string], samples: number) {
  const ready: [number[], number[]] = [[], []];
  for (let i = 0; i < samples; i += 1) {
    for (const side of [0, 1] as const) {
      const runtime = await startRuntime([appWorker(bundles[side], APP)]);
      ready[side].push(runtime.startMs);
      await runtime.dispose();
    }
  }
  const [a, b] = [median(ready[0]), median(ready[1])];
  console.log(
    `\nstart → ready, median of ${samples} alternating: ${names[0]} ${a.toFixed(1)} ms, ${names[1]} ${b.toFixed(1)} ms, ratio ${(b / a).toFixed(3)} ×`,
  );
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      save: { type: "string" },
      stacks: { type: "string", default: "loop,worker,object,full,first" },
      seconds: { type: "string", default: "10" },
      rounds: { type: "string", default: "5" },
      starts: { type: "string", default: "5" },
    },
  });
  if (values.save) return save(values.save);
  const [before, after] = positionals;
  if (!before || !after) throw new Error("usage: npm run bench:compare -- --save NAME | BEFORE AFTER");
  const variants = [await load(before), await load(after)] as const;
  const names: [string, string] = [before, after];
  await mkdir(VARIANTS, { recursive: true });
  // `--stacks ""` runs none of them (start → ready alone).
  for (const stack of values.stacks.split(",").filter(Boolean) as (Stack | "loop" | "first")[]) {
    if (stack === "first") {
      await compareFirstWrite([variants[0].full, variants[1].full], names, 4 * Number(values.rounds));
      continue;
    }
    if (stack === "loop") {
      // Batches are short (a fraction of a second), so many more of them than load rounds.
      await compareLoop([variants[0].worker, variants[1].worker], names, 8 * Number(values.rounds));
      continue;
    }
    if (!(stack in STACKS)) throw new Error(`unknown stack ${stack}: one of ${Object.keys(STACKS).join(", ")}`);
    await comparePair(
      stack,
      [variants[0][stack], variants[1][stack]],
      names,
      Number(values.seconds),
      Number(values.rounds),
    );
  }
  if (Number(values.starts) > 0) await compareStart([variants[0].full, variants[1].full], names, Number(values.starts));
}

await main();
