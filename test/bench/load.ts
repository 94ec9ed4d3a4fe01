// Closed-loop HTTP load with autocannon: a fixed number of connections for a fixed time. Latencies are
// taken from each 2xx response at sub-millisecond precision (autocannon's own histogram rounds to ms).
import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds of measured load. */
  duration: number;
  /** Seconds of unmeasured load first (JIT, SQLite page cache); 0 to skip. */
  warmup?: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** CPU ms used so far by the workerd serving `url` (Runtime.cpuMs): read around each measured run. */
  cpuMs?: () => number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** workerd CPU ms per 2xx response over the measured time (Worker and objects); NaN if unknown. */
  cpuMsPerRequest: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

async function fire(options: LoadOptions, duration: number) {
  const latencies: number[] = [];
  const cpuBefore = options.cpuMs?.() ?? Number.NaN;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration,
    timeout: 10,
    method: options.method ?? "GET",
    headers: { "content-type": "application/json", ...options.headers },
    body: options.body,
  });
  instance.on("response", (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  // A response a moment after the end may still be in flight: a few requests' CPU in a few thousand.
  const cpuMs = (options.cpuMs?.() ?? Number.NaN) - cpuBefore;
  return { result, latencies, cpuMs };
}

type Sample = Awaited<ReturnType<typeof fire>>;

function summarize(samples: Sample[]): LoadResult {
  const latencies = samples.flatMap((sample) => sample.latencies).sort((a, b) => a - b);
  const statusCodes: Record<string, number> = {};
  let seconds = 0;
  let errors = 0;
  let non2xx = 0;
  let cpuMs = 0;
  for (const { result, cpuMs: sampleCpu } of samples) {
    cpuMs += sampleCpu;
    seconds += result.duration;
    errors += result.errors + result.timeouts;
    non2xx += result.non2xx;
    for (const [code, stat] of Object.entries(result.statusCodeStats)) {
      statusCodes[code] = (statusCodes[code] ?? 0) + stat.count;
    }
  }
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    non2xx,
    statusCodes,
    cpuMsPerRequest: cpuMs / latencies.length,
  };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmup) await fire(options, options.warmup);
  return summarize([await fire(options, options.duration)]);
}

/**
 * Two workloads compared as a ratio: both warmed, then measured in alternating rounds, so a busy
 * moment of the machine (other jobs share the cores) lands on both sides instead of one.
 */
export async function runPaired(a: LoadOptions, b: LoadOptions, rounds: number): Promise<[LoadResult, LoadResult]> {
  for (const options of [a, b]) if (options.warmup) await fire(options, options.warmup);
  const samples: [Sample[], Sample[]] = [[], []];
  for (let round = 0; round < rounds; round += 1) {
    samples[0].push(await fire(a, a.duration / rounds));
    samples[1].push(await fire(b, b.duration / rounds));
  }
  return [summarize(samples[0]), summarize(samples[1])];
}
