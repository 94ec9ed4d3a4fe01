// `npm run bench:profile -- --stack worker|object|full`: where workerd's CPU goes during a steady
// append load. Starts one stack with V8's inspector open, samples a CPU profile over the load, and
// prints the functions with the most self time, grouped by source module. Unminified bundle, so the
// names are the source's; every other bundle option is the deploy's.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { WORKER_BUNDLE } from "../../infra/core/bundle.ts";
import { createSession, messagesPath, signUp } from "./api.ts";
import { APP, startApp } from "./app-stack.ts";
import { buildWorkerBundle } from "./bundle.ts";
import { BENCH_PATHS } from "./instrumented/protocol.ts";
import { runLoad } from "./load.ts";
import { withRuntime } from "./runtime.ts";
import { MESSAGE, repeatedAppend } from "./workloads/api-workloads.ts";

const ENTRIES = {
  full: "test/bench/instrumented/object-entry.ts", // the real app; the extra route is not used
  object: "test/bench/instrumented/object-entry.ts",
  worker: "test/bench/instrumented/instant-entry.ts",
  /** The Worker's append replayed in-isolate (instant objects): its own work and nothing else. */
  loop: "test/bench/instrumented/instant-entry.ts",
} as const;
type Stack = keyof typeof ENTRIES;

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** One Chrome DevTools Protocol session on the app Worker's isolate. */
async function inspect(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
    title?: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.title?.includes(APP)) ?? targets[0];
  if (!target) throw new Error("workerd's inspector lists no isolate");
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let next = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on("message", (data) => {
    const reply = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (reply.id !== undefined) pending.get(reply.id)?.(reply.result);
  });
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      next += 1;
      pending.set(next, resolve as (result: unknown) => void);
      socket.send(JSON.stringify({ id: next, method, params }));
    });
  return { send, close: () => socket.close() };
}

/** `lines`: the bundle's source, so an anonymous function shows the line it starts on. */
function summarize(profile: Profile, top: number, lines: string[]): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const source = url ? ` ${(lines[lineNumber] ?? "").trim().slice(0, 70)}` : "";
    return `${functionName || "(anonymous)"} :${lineNumber + 1}${source}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[index] ?? 0;
    if (!node) return;
    total += delta;
    const key = label(node);
    self.set(key, (self.get(key) ?? 0) + delta);
    // Each function once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (let at: ProfileNode | undefined = node; at; at = byId.get(parent.get(at.id) ?? -1)) {
      const name = label(at);
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + delta);
      seen.add(name);
    }
  });
  const share = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const rank = (map: Map<string, number>) => [...map].sort(([, a], [, b]) => b - a).slice(0, top);
  return [
    `Sampled ${(total / 1e6).toFixed(2)} s of the isolate's time.`,
    "",
    "Self time by function:",
    ...rank(self).map(([key, us]) => `${share(us)}  ${key}`),
    "",
    "Total time by function (itself and what it calls):",
    ...rank(inclusive).map(([key, us]) => `${share(us)}  ${key}`),
  ];
}

async function main() {
  const { values } = parseArgs({
    options: {
      stack: { type: "string", default: "worker" },
      seconds: { type: "string", default: "10" },
      out: { type: "string" },
    },
  });
  const stack = values.stack as Stack;
  if (!(stack in ENTRIES)) throw new Error(`--stack must be one of ${Object.keys(ENTRIES).join(", ")}`);
  const seconds = Number(values.seconds);
  const work = await mkdtemp(join(tmpdir(), "bench-profile-"));
  try {
    const bundle = await buildWorkerBundle({
      entrypoint: ENTRIES[stack],
      outdir: join(work, "bundle"),
      bundle: { ...WORKER_BUNDLE, minify: false },
    });
    const inspectorPort = await freePort();
    await withRuntime(await startApp(bundle, { inspectorPort }), async (app) => {
      const base = await app.url(APP);
      const account = await signUp(base);
      const sessionId = await createSession(account, "bench profile");
      const url =
        stack === "object"
          ? `${base}${BENCH_PATHS.objectAppend}${sessionId}/${account.userId}`
          : `${base}${messagesPath(sessionId)}`;
      const load = {
        url,
        connections: 50,
        duration: seconds,
        method: "POST" as const,
        body: MESSAGE,
        headers: { authorization: `Bearer ${account.token}` },
        cpuMs: app.cpuMs,
      };
      await runLoad({ ...load, url: `${base}${messagesPath(sessionId)}`, duration: 2 }); // warm up before sampling
      const inspector = await inspect(inspectorPort);
      await inspector.send("Profiler.enable");
      await inspector.send("Profiler.setSamplingInterval", { interval: 100 });
      await inspector.send("Profiler.start");
      if (stack === "loop") {
        // The same append replayed in-isolate: no sockets, no idle time, only the app's own work.
        const repeat = repeatedAppend(account.token, sessionId, 1_000);
        const ends = performance.now() + seconds * 1000;
        while (performance.now() < ends) {
          await (await fetch(`${base}${BENCH_PATHS.repeat}`, { method: "POST", body: JSON.stringify(repeat) })).text();
        }
      } else {
        const result = await runLoad(load);
        console.log(
          `${stack}: ${result.rps.toFixed(0)} req/s, ${result.cpuMsPerRequest.toFixed(3)} ms workerd CPU / request (profiling on)`,
        );
      }
      const { profile } = await inspector.send<{ profile: Profile }>("Profiler.stop");
      inspector.close();
      const lines = (await readFile(bundle.entry, "utf8")).split("\n");
      console.log(summarize(profile, 45, lines).join("\n"));
      if (values.out) await writeFile(values.out, JSON.stringify(profile));
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
