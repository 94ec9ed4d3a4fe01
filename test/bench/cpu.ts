// workerd's CPU time, read from /proc: the figure Cloudflare bills, taken per workerd process the
// benchmark starts, so a ratio of CPU per request compares like with like. Linux only; elsewhere
// every CPU figure reads "n/a".
import { readdirSync, readFileSync } from "node:fs";

/** Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ, fixed for user space). */
const MS_PER_TICK = 10;

function readStat(pid: number): { ppid: number; comm: string; cpuMs: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // gone, or not Linux
  }
  // The command name is in parentheses and may hold spaces: split after its closing one.
  const close = text.lastIndexOf(")");
  const comm = text.slice(text.indexOf("(") + 1, close);
  const fields = text.slice(close + 2).split(" ");
  // Fields after the name start at 3 (state); ppid is 4, utime 14, stime 15 (proc(5)).
  const field = (number: number) => Number(fields[number - 3]);
  return { ppid: field(4), comm, cpuMs: (field(14) + field(15)) * MS_PER_TICK };
}

/** This process's workerd children: call before and after a start to tell which one it spawned. */
export function workerdChildren(): Set<number> {
  const found = new Set<number>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return found;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat?.ppid === process.pid && stat.comm.startsWith("workerd")) found.add(pid);
  }
  return found;
}

/**
 * Nanoseconds on a CPU, summed over the process's threads (schedstat), where the kernel keeps it:
 * /proc/PID/stat counts in 10 ms ticks, too coarse for a batch of a few hundred ms.
 */
function scheduledMs(pid: number): number | undefined {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    }
    return Number.isFinite(ns) && ns > 0 ? ns / 1e6 : undefined;
  } catch {
    return undefined; // a thread ended mid-read, or no schedstat: fall back to the ticks
  }
}

/** Reads one process's CPU time (all threads) in ms; NaN once it is gone or unknown. */
export function cpuClock(pid: number | undefined): () => number {
  return () => (pid === undefined ? Number.NaN : (scheduledMs(pid) ?? readStat(pid)?.cpuMs ?? Number.NaN));
}
