// Starts Miniflare (the workerd alchemy pins) for the benchmark: timed start → ready, every Worker on
// its own loopback socket, persistence in a temporary directory, runtime output kept out of the table.
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { Log, LogLevel, Miniflare, type WorkerOptions } from "miniflare";
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from "../../infra/core/runtime.ts";
import { cpuClock, workerdChildren } from "./cpu.ts";

export const HOST = "127.0.0.1";

/**
 * Where Durable Object and D1 files live during the run: a RAM-backed temp dir when the machine has
 * one. On a shared disk, fsync latency from other jobs dominates every write figure (seen here: the
 * bare DO insert at ~200 req/s on the disk vs ~1,900 on tmpfs in the same minute), which would hide
 * the code's own cost behind the disk's. Set BENCH_PERSIST_ROOT to measure somewhere else.
 */
export function persistRoot(): string {
  const chosen = process.env.BENCH_PERSIST_ROOT;
  if (chosen) return chosen;
  try {
    accessSync("/dev/shm", constants.W_OK);
    return "/dev/shm";
  } catch {
    return tmpdir();
  }
}

export interface Runtime {
  mf: Miniflare;
  /** Milliseconds from `new Miniflare()` to `ready` (workerd spawned, every script loaded). */
  startMs: number;
  /** Milliseconds since `new Miniflare()`, for "first response" figures. */
  sinceStartMs(): number;
  /** Base URL of one Worker's own socket, bypassing Miniflare's entry router. */
  url(worker: string): Promise<string>;
  /** CPU ms (user + system) this runtime's workerd has used so far; NaN where it cannot be read. */
  cpuMs(): number;
  /** The last lines workerd printed, for error messages. */
  output(): string;
  dispose(): Promise<void>;
}

/** Same date and flags as the deploy and the tests; every Worker listens on loopback only. */
export function workerDefaults(
  name: string,
): Pick<WorkerOptions, "name" | "compatibilityDate" | "compatibilityFlags" | "unsafeDirectSockets"> {
  return {
    name,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    unsafeDirectSockets: [{ host: HOST, port: 0, entrypoint: "default" }],
  };
}

function keepTail(streams: Readable[], limit = 40) {
  const lines: string[] = [];
  for (const stream of streams) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      lines.push(...chunk.split("\n").filter(Boolean));
      if (lines.length > limit) lines.splice(0, lines.length - limit);
    });
  }
  return () => lines.join("\n");
}

export interface RuntimeOptions {
  /**
   * Keep Durable Object and D1 files here, and leave them on dispose, so a later runtime can start
   * on the same data (the reliability suite restarts after killing workerd). Default: a fresh
   * temporary directory, removed on dispose.
   */
  persistDir?: string;
  /** Opens workerd's V8 inspector on this loopback port (profile.ts takes CPU profiles through it). */
  inspectorPort?: number;
}

export async function startRuntime(workers: WorkerOptions[], options: RuntimeOptions = {}): Promise<Runtime> {
  const keep = options.persistDir !== undefined;
  const persistDir = options.persistDir ?? (await mkdtemp(join(persistRoot(), "bench-persist-")));
  let output = () => "";
  const before = workerdChildren();
  const started = performance.now();
  const mf = new Miniflare({
    host: HOST,
    port: 0,
    cf: false, // no lookup of Cloudflare's `Request.cf` data: the benchmark is offline
    log: new Log(LogLevel.WARN),
    defaultPersistRoot: persistDir,
    d1Persist: true,
    durableObjectsPersist: true,
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      output = keepTail([stdout, stderr]);
    },
    workers,
    ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort, inspectorHost: HOST }),
  });
  try {
    await mf.ready;
  } catch (error) {
    if (!keep) await rm(persistDir, { recursive: true, force: true });
    throw new Error(`workerd did not start: ${String(error)}\n${output()}`);
  }
  const startMs = performance.now() - started;
  // Runtimes start one at a time, so the one new workerd child is this runtime's.
  const spawned = [...workerdChildren()].filter((pid) => !before.has(pid));
  const cpuMs = cpuClock(spawned.length === 1 ? spawned[0] : undefined);
  return {
    mf,
    startMs,
    sinceStartMs: () => performance.now() - started,
    url: async (worker) => (await mf.unsafeGetDirectURL(worker)).origin,
    cpuMs,
    output: () => output(),
    dispose: async () => {
      await mf.dispose();
      if (!keep) await rm(persistDir, { recursive: true, force: true });
    },
  };
}

/** Runs `use`, then disposes the runtime; a failure carries the last lines workerd printed. */
export async function withRuntime<T>(runtime: Runtime, use: (runtime: Runtime) => Promise<T>): Promise<T> {
  try {
    return await use(runtime);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nworkerd output:\n${runtime.output()}`);
  } finally {
    await runtime.dispose();
  }
}
