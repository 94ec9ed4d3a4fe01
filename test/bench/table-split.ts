// Rows for the append's costs apart (the object alone, the Worker alone) and the first write to a
// new session, each against the baseline paired with it in the same run.
import type { BenchResults } from "./report.ts";
import { loadRows, ms, n, type Row } from "./table.ts";

export function splitRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  const conns = `${r.options.connections} conns`;
  if (r.split) {
    const { object, worker } = r.split;
    rows.push(
      ...loadRows(`Object alone (SessionDO append via RPC, ${conns})`, object.run, object.baseline, "DO insert", {
        cpu: { max: 1.1, label: "≤ 1.10 ×" },
      }),
      ...loadRows(`Worker alone (auth append, instant objects, ${conns})`, worker.run, worker.baseline, "bare Worker"),
      {
        workload: "Worker alone (auth append, instant objects)",
        figure: "object RPC calls per append",
        value: n(r.split.rpcPerAppend, 2),
        target: { max: 1, label: "≤ 1", of: r.split.rpcPerAppend },
      },
    );
  }
  if (r.firstWrite) {
    const f = r.firstWrite;
    rows.push({
      workload: `First write (${f.samples} new sessions, one at a time)`,
      figure: "create + first message, p50",
      value: ms(f.app),
      baseline: `bare first insert ${ms(f.bare)}`,
      ratio: f.app / f.bare,
      target: { max: 1.5, label: "≤ 1.50 ×" },
    });
    rows.push({
      workload: `First write (${f.samples} new sessions, one at a time)`,
      figure: "of which create / first message, p50",
      value: `${ms(f.create)} / ${ms(f.firstAppend)}`,
    });
  }
  return rows;
}
