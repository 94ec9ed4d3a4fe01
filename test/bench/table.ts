// The benchmark table: one row per figure, each with its same-run baseline, ratio and target.
import type { LoadResult } from "./load.ts";
import type { BenchResults } from "./report.ts";
import { splitRows } from "./table-split.ts";

export interface Row {
  workload: string;
  figure: string;
  value: string;
  baseline?: string;
  ratio?: number;
  target?: { max?: number; min?: number; label: string; of?: number };
}

export const n = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString("en-US", { maximumFractionDigits: digits }) : "n/a";
const rps = (value: number) => `${n(value)} req/s`;
export const ms = (value: number) => `${n(value, value < 10 ? 2 : 1)} ms`;
const kib = (bytes: number) => `${n(bytes / 1024, 1)} KiB`;
export const ratioText = (value: number | undefined) => (value === undefined ? "" : `${n(value, 2)} ×`);

export function verdict(row: Row): string {
  const { target } = row;
  if (!target) return "";
  const value = target.of ?? row.ratio;
  if (value === undefined || !Number.isFinite(value)) return "n/a";
  const met = (target.min === undefined || value >= target.min) && (target.max === undefined || value <= target.max);
  return met ? "met" : "MISSED";
}

const cpu = (value: number) => (Number.isFinite(value) ? `${n(value, 3)} ms CPU` : "CPU n/a");

/** A baseline's one-line summary: rate, latencies and workerd CPU per request. */
export const loadSummary = (run: LoadResult) =>
  `${rps(run.rps)}, p50 ${ms(run.p50)}, p99 ${ms(run.p99)}, ${cpu(run.cpuMsPerRequest)} / req`;

interface LoadTargets {
  throughput?: Row["target"];
  cpu?: Row["target"];
}

/** Throughput with workerd CPU per request beside it, latencies, failures: each against `base`. */
export function loadRows(
  workload: string,
  run: LoadResult,
  base: LoadResult,
  baseName: string,
  targets: LoadTargets = {},
): Row[] {
  return [
    {
      workload,
      figure: "throughput",
      value: rps(run.rps),
      baseline: `${baseName} ${rps(base.rps)}`,
      ratio: run.rps / base.rps,
      target: targets.throughput,
    },
    {
      workload,
      figure: "workerd CPU / request",
      value: cpu(run.cpuMsPerRequest),
      baseline: cpu(base.cpuMsPerRequest),
      ratio: run.cpuMsPerRequest / base.cpuMsPerRequest,
      target: targets.cpu,
    },
    { workload, figure: "latency p50", value: ms(run.p50), baseline: ms(base.p50), ratio: run.p50 / base.p50 },
    { workload, figure: "latency p99", value: ms(run.p99), baseline: ms(base.p99), ratio: run.p99 / base.p99 },
    {
      workload,
      figure: "errors / non-2xx",
      value: `${run.errors} / ${run.non2xx}`,
      target: { label: "0", of: run.errors + run.non2xx, max: 0 },
    },
  ];
}

function apiRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  const { insert, broadcast } = r.baselines;
  if (r.append) {
    const w = `Append (auth, ${r.options.connections} conns)`;
    rows.push(
      ...loadRows(w, r.append, insert, "DO insert", {
        throughput: { min: 0.8, label: "≥ 0.80 ×" },
        cpu: { max: 1.15, label: "≤ 1.15 ×" },
      }),
    );
  }
  rows.push(...splitRows(r));
  if (r.reads) {
    const { small, large, history } = r.reads;
    const w = `Recent ${r.options.recentLimit} (${r.options.connections} conns)`;
    rows.push(
      {
        workload: w,
        figure: `${n(history[0])} msgs of history`,
        value: readFigures(small),
      },
      {
        workload: w,
        figure: `${n(history[1])} msgs of history`,
        value: readFigures(large),
        baseline: `p50 at ${n(history[0])} msgs`,
        ratio: large.p50 / small.p50,
        target: { max: 1.1, label: "≤ 1.10 ×" },
      },
    );
  }
  if (r.fanout) {
    const f = r.fanout;
    const w = `Fan-out (${f.clients} sockets × ${f.messages} msgs)`;
    rows.push(
      {
        workload: w,
        figure: "delivery p50",
        value: ms(f.p50),
        baseline: `bare broadcast ${ms(broadcast.p50)}`,
        ratio: f.p50 / broadcast.p50,
      },
      {
        workload: w,
        figure: "delivery p99",
        value: ms(f.p99),
        baseline: ms(broadcast.p99),
        ratio: f.p99 / broadcast.p99,
        target: { max: 1.2, label: "≤ 1.20 ×" },
      },
      {
        workload: w,
        figure: "delivery max",
        value: ms(f.max),
        baseline: ms(broadcast.max),
        ratio: f.max / broadcast.max,
      },
      {
        workload: w,
        figure: "lost / duplicated / out of order",
        value: `${f.lost} / ${f.duplicates} / ${f.outOfOrder}`,
        target: { label: "0", of: f.lost + f.duplicates + f.outOfOrder, max: 0 },
      },
    );
  }
  if (r.d1) {
    const d = r.d1;
    const w = `D1 per 1,000 appends (${n(d.appends)} counted)`;
    rows.push(
      {
        workload: w,
        figure: "write statements",
        value: n(d.writesPer1000, 1),
        target: { max: 10, label: "≤ 10", of: d.writesPer1000 },
      },
      {
        workload: w,
        figure: "read statements",
        value: n(d.readsPer1000, 1),
        baseline: d.indexCaughtUpMs === null ? "index not caught up" : `index caught up in ${ms(d.indexCaughtUpMs)}`,
      },
      {
        workload: "D1 per first write (create + first message)",
        figure: "round trips",
        value: n(d.firstWriteRoundTrips),
      },
    );
  }
  return rows;
}

function readFigures(run: LoadResult) {
  const failures = run.errors + run.non2xx === 0 ? "" : `, ${run.errors} errors, ${run.non2xx} non-2xx`;
  return `p50 ${ms(run.p50)}, p99 ${ms(run.p99)}, ${rps(run.rps)}, ${cpu(run.cpuMsPerRequest)} / req${failures}`;
}

export function tableRows(r: BenchResults): Row[] {
  const { ok, insert, broadcast } = r.baselines;
  const base = (figure: string, value: string): Row => ({ workload: "Baselines", figure, value });
  const rows: Row[] = [
    base(`bare Worker "ok" (${r.options.connections} conns)`, loadSummary(ok)),
    base(`bare DO INSERT … RETURNING via RPC (${r.options.connections} conns)`, loadSummary(insert)),
    base(
      `bare hibernating broadcast (${broadcast.clients} × ${broadcast.messages})`,
      `p50 ${ms(broadcast.p50)}, p99 ${ms(broadcast.p99)}, lost ${broadcast.lost}`,
    ),
    ...apiRows(r),
    {
      workload: "Bundle",
      figure: "gzip (as alchemy deploys it)",
      value: kib(r.bundle.gzipBytes),
      baseline: "target 150 KiB (Agents SDK ~430 KB)",
      ratio: r.bundle.gzipBytes / 1024 / 150,
      target: { max: 1, label: "≤ 150 KiB", of: r.bundle.gzipBytes / 1024 / 150 },
    },
    {
      workload: "Bundle",
      figure: "raw (minified)",
      value: kib(r.bundle.rawBytes),
    },
    {
      workload: "Bundle",
      figure: "console gzip (static assets: JS + CSS)",
      value: kib(r.console.gzipBytes),
      baseline: `budget ${kib(r.console.budgetBytes)} (the build refuses more)`,
      ratio: r.console.gzipBytes / r.console.budgetBytes,
      target: { max: 1, label: `≤ ${kib(r.console.budgetBytes)}`, of: r.console.gzipBytes / r.console.budgetBytes },
    },
    {
      workload: "Start",
      figure: "workerd start → ready",
      value: ms(r.startup.app.readyMs),
      baseline: `bare Worker ${ms(r.startup.bare.readyMs)}`,
      ratio: r.startup.app.readyMs / r.startup.bare.readyMs,
      target: { max: 1.5, label: "≤ 1.50 ×" },
    },
    {
      workload: "Start",
      figure: "start → first response",
      value: ms(r.startup.app.firstResponseMs),
      baseline: ms(r.startup.bare.firstResponseMs),
      ratio: r.startup.app.firstResponseMs / r.startup.bare.firstResponseMs,
    },
  ];
  for (const reason of r.skipped) rows.push({ workload: "Skipped", figure: "", value: reason });
  return rows;
}
