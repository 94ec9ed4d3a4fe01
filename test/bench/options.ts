// Command-line flags and the sizes of every workload, full or smoke.
import { parseArgs } from "node:util";

export interface BenchOptions {
  smoke: boolean;
  /** Seconds of measured load per HTTP workload. */
  duration: number;
  /** Seconds of unmeasured load before each HTTP workload. */
  warmup: number;
  connections: number;
  /** Compared workloads alternate in this many rounds (load.ts, runPaired). */
  rounds: number;
  /** Messages of history behind the "recent 50" reads: small and large. */
  history: [number, number];
  recentLimit: number;
  fanout: { clients: number; messages: number };
  /** Messages appended while D1 statements are counted. */
  d1Appends: number;
  /** First writes to a new session (create + first message), and as many bare first inserts. */
  firstWrites: number;
  /** Start → ready samples per stack (the median is reported). */
  startSamples: number;
  /** JSON report path; default bench-results/bench-<timestamp>.json. */
  out: string | undefined;
}

const USAGE = `Usage: npm run bench -- [--smoke] [--duration SECONDS] [--out FILE]
  --smoke       tiny sizes, about a second per workload: proves the benchmark still works
  --duration    seconds of measured load per HTTP workload (default 10, smoke 1)
  --out         where to write the JSON report (default bench-results/bench-<timestamp>.json)`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: "boolean", default: false },
      duration: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const smoke = values.smoke ?? false;
  const duration = values.duration === undefined ? (smoke ? 1 : 10) : Number(values.duration);
  if (!Number.isFinite(duration) || duration <= 0 || duration > 120) {
    throw new Error(`--duration must be a number of seconds between 0 and 120\n${USAGE}`);
  }
  return {
    smoke,
    duration,
    warmup: smoke ? 0.5 : 2,
    connections: 50,
    rounds: smoke ? 1 : 5,
    history: smoke ? [100, 2_000] : [100, 100_000],
    recentLimit: 50,
    fanout: smoke ? { clients: 10, messages: 20 } : { clients: 100, messages: 200 },
    d1Appends: 1_000,
    firstWrites: smoke ? 3 : 30,
    startSamples: smoke ? 1 : 3,
    out: values.out,
  };
}
