// Where and on what the benchmark ran: printed with the table and stored in the JSON report.
import { createRequire } from "node:module";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { persistRoot } from "./runtime.ts";

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** One-minute load average when the run started: other work on the machine skews every figure. */
  loadAverage: number;
  os: string;
  node: string;
  workerd: string;
  miniflare: string;
  /** Where Durable Object and D1 files were written (runtime.ts explains the choice). */
  persistRoot: string;
}

export function describeMachine(): Machine {
  // workerd is the one Miniflare resolves (alchemy's pinned pair), not a newer copy elsewhere.
  const fromMiniflare = createRequire(import.meta.resolve("miniflare"));
  const version = (pkg: string) => (fromMiniflare(`${pkg}/package.json`) as { version: string }).version;
  const cores = cpus();
  return {
    date: new Date().toISOString(),
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    os: `${platform()} ${release()}`,
    node: process.version,
    workerd: version("workerd"),
    miniflare: version("miniflare"),
    persistRoot: persistRoot(),
  };
}
