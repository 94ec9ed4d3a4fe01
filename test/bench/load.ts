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
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

async function fire(options: LoadOptions, duration: number) {
  const latencies: number[] = [];
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
  return { result, latencies };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmup) await fire(options, options.warmup);
  const { result, latencies } = await fire(options, options.duration);
  latencies.sort((a, b) => a - b);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  return {
    requests: latencies.length,
    rps: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}
