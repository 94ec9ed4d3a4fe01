// The report: the Markdown table (printed, and pasted into docs/performance.md), its notes, and the JSON results.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { FanoutResult } from "./fanout.ts";
import type { LoadResult } from "./load.ts";
import type { Machine } from "./machine.ts";
import type { BenchOptions } from "./options.ts";
import { ms, n, ratioText, tableRows, verdict } from "./table.ts";
import type { D1WritesResult } from "./workloads/d1-writes.ts";
import type { FirstWriteResult } from "./workloads/first-write.ts";
import type { ReadsResult } from "./workloads/reads.ts";
import type { SplitCosts } from "./workloads/split-costs.ts";
import type { StartupResult } from "./workloads/startup.ts";

export interface BenchResults {
  machine: Machine;
  options: BenchOptions;
  bundle: { rawBytes: number; gzipBytes: number };
  /** The browser console's JS + CSS (static assets, infra/assets), with its budget. */
  console: { rawBytes: number; gzipBytes: number; budgetBytes: number };
  startup: StartupResult;
  baselines: { ok: LoadResult; insert: LoadResult; broadcast: FanoutResult };
  /** Workloads that did not run, and why (routes not there yet). */
  skipped: string[];
  append?: LoadResult;
  /** The append's object and Worker costs apart, each with its own paired baseline. */
  split?: SplitCosts;
  firstWrite?: FirstWriteResult;
  reads?: ReadsResult;
  fanout?: FanoutResult;
  d1?: D1WritesResult;
}

export function renderTable(r: BenchResults): string {
  const header = ["Workload", "Figure", "Value", "Baseline (same run)", "Ratio", "Target", ""];
  const lines = tableRows(r).map((row) => [
    row.workload,
    row.figure,
    row.value,
    row.baseline ?? "",
    ratioText(row.ratio),
    row.target?.label ?? "",
    verdict(row),
  ]);
  const format = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const m = r.machine;
  const caption = `${r.options.smoke ? "Smoke run (tiny sizes, not figures)" : "Benchmark"}, ${m.date.slice(0, 10)}: ${m.cpus} × ${m.cpuModel}, Node ${m.node}, workerd ${m.workerd} (miniflare ${m.miniflare}), load average ${m.loadAverage} at start, storage in ${m.persistRoot}, ${r.options.duration} s per HTTP workload after ${r.options.warmup} s warm-up.`;
  const table = [caption, "", format(header), format(header.map(() => "---")), ...lines.map(format)];
  const footnotes = notes(r);
  return [
    ...table,
    ...(footnotes.length > 0 ? ["", ...footnotes.map((note) => `- ${note}`)] : []),
    "",
    ...targetSummary(r),
  ].join("\n");
}

/** Every figure with a target, one line each: what a reader checks first. */
function targetSummary(r: BenchResults): string[] {
  const lines = tableRows(r)
    .filter((row) => row.target)
    .map((row) => {
      const measured = row.ratio === undefined ? row.value : `${ratioText(row.ratio)} (${row.value})`;
      return `- ${verdict(row) === "met" ? "met" : verdict(row)}: ${row.workload}, ${row.figure}: ${measured}, target ${row.target?.label}`;
    });
  return ["Targets:", "", ...lines];
}

/** What a reader needs to trust the table: how history was seeded, what D1 saw, what was odd. */
function notes(r: BenchResults): string[] {
  const list: string[] = [];
  if (r.reads) {
    const { reads } = r;
    list.push(`History seeded in ${ms(reads.seedMs)} through ${reads.seedMethod}.`);
    if (reads.largestSeqOnPage !== reads.history[1]) {
      list.push(
        `The recent page ended at seq ${reads.largestSeqOnPage}, not ${reads.history[1]}: not the latest page.`,
      );
    }
  }
  if (r.d1) {
    const statements = Object.entries(r.d1.counts.statements)
      .sort(([, a], [, b]) => b - a)
      .map(([sql, count]) => `${count} × \`${sql}\``);
    const seen = statements.length > 0 ? statements.join("; ") : "none";
    list.push(
      `D1 statements during ${n(r.d1.appends)} appends (${ms(r.d1.appendMs)}) and the index catch-up: ${seen}.`,
    );
  }
  return list;
}

export async function writeJson(r: BenchResults, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify({ ...r, table: tableRows(r) }, null, 2)}\n`);
}
