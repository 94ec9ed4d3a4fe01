// The API as deployed, for the reliability suite: the benchmark's bundle and Miniflare runtime
// (test/bench) with its D1 and Durable Object files in a directory the caller keeps, restartable on
// the same files, and killable the way a crash kills it.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { WORKER_ENTRYPOINT } from "../../../infra/core/runtime.ts";
import { APP, applyMigrations, appWorker } from "../../bench/app-stack.ts";
import { type BuiltBundle, buildWorkerBundle } from "../../bench/bundle.ts";
import { type Runtime, startRuntime } from "../../bench/runtime.ts";
import { WAIT_MS } from "../../helpers/patience.ts";

export interface Stack {
  /** `http://127.0.0.1:PORT`: the Worker's own socket (it changes with every start). */
  base: string;
  runtime: Runtime;
  /** The workerd process serving it. */
  pid: number;
}

export async function buildApp(workDir: string): Promise<BuiltBundle> {
  return buildWorkerBundle({ entrypoint: WORKER_ENTRYPOINT, outdir: join(workDir, "bundle") });
}

/** Live (not zombie) workerd processes that are children of this process: Miniflare spawns it directly. */
function workerdChildren(): number[] {
  let out = "";
  try {
    out = execFileSync("ps", ["-o", "pid=,stat=,comm=", "--ppid", String(process.pid)], { encoding: "utf8" });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, stat, comm]) => pid && comm === "workerd" && !stat?.startsWith("Z"))
    .map(([pid]) => Number(pid));
}

export interface StartOptions {
  persistDir: string;
  /** Worker variables to override (e.g. SESSION_INDEX_FLUSH_MS). */
  vars?: Record<string, string>;
  /** Apply the D1 migrations: only on the first start over a directory. */
  migrate?: boolean;
}

export async function startStack(bundle: BuiltBundle, options: StartOptions): Promise<Stack> {
  const before = new Set(workerdChildren());
  const runtime = await startRuntime([appWorker(bundle, APP, options.vars)], { persistDir: options.persistDir });
  const started = workerdChildren().filter((candidate) => !before.has(candidate));
  const pid = started[0];
  try {
    // Another runtime started by this process at the same moment would make the choice a guess.
    if (pid === undefined || started.length > 1) throw new Error(`cannot tell which workerd is ours: ${started}`);
    if (options.migrate) await applyMigrations(runtime);
    return { base: await runtime.url(APP), runtime, pid };
  } catch (error) {
    await runtime.dispose();
    throw error;
  }
}

/**
 * A crash: SIGKILL to workerd, so nothing gets to flush, finish or answer. Returns once the process
 * is gone, after releasing what Miniflare holds in this process. The files stay for the next start.
 */
export async function crash(stack: Stack): Promise<void> {
  process.kill(stack.pid, "SIGKILL");
  const deadline = Date.now() + WAIT_MS;
  while (workerdChildren().includes(stack.pid)) {
    if (Date.now() > deadline) throw new Error(`workerd ${stack.pid} survived SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await stack.runtime.dispose();
}
