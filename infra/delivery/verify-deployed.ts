// After a deploy: is the stage really serving the release just deployed? Its /health must report that version.
import { stageResourceNames } from "../core/names.ts";
import type { CloudflareClient } from "../vendors/cloudflare-api.ts";
import type { Fetch } from "../vendors/github-api.ts";
import { readSubdomain } from "../workers-subdomain.ts";

export interface VerifyDeployedInput {
  stage: string;
  /** What /health must report: the release version the deploy gave the Worker (infra/worker-vars.ts). */
  version: string;
  url: string;
  attempts: number;
  intervalMs: number;
  fetch: Fetch;
  sleep: (ms: number) => Promise<void>;
}

/** One request never waits longer than this; the bound on the whole check is attempts × interval. */
const REQUEST_TIMEOUT_MS = 15_000;

/** The stage's workers.dev URL, from the account's subdomain: independent of anything the deploy itself printed. */
export async function workersDevUrl(cloudflare: CloudflareClient, stage: string): Promise<string> {
  const result = await readSubdomain(cloudflare);
  if (!result.subdomain) {
    throw new Error("The account has no workers.dev subdomain: the stage cannot be serving anything there.");
  }
  return `https://${stageResourceNames(stage).worker}.${result.subdomain}.workers.dev`;
}

async function probe(input: VerifyDeployedInput): Promise<{ ok: boolean; seen: string }> {
  const url = new URL("/health", input.url).href;
  try {
    const response = await input.fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    if (response.status !== 200) return { ok: false, seen: `HTTP ${response.status}` };
    const body = JSON.parse(text) as { stage?: unknown; version?: unknown };
    const ok = body.version === input.version && body.stage === input.stage;
    return { ok, seen: `stage ${String(body.stage)}, version ${String(body.version)}` };
  } catch (error) {
    return { ok: false, seen: `no answer (${(error as Error).message})` };
  }
}

/**
 * Polls /health until it reports this stage and version, at most `attempts` times. A deploy whose alchemy run was
 * killed exits 0 (alchemy's sanitizeExitCode), so this check is what turns it red.
 */
export async function verifyDeployed(input: VerifyDeployedInput): Promise<{ ok: boolean; message: string }> {
  let seen = "nothing";
  for (let attempt = 1; attempt <= input.attempts; attempt++) {
    const result = await probe(input);
    seen = result.seen;
    if (result.ok) {
      return { ok: true, message: `Stage ${input.stage} serves version ${input.version} at ${input.url}.` };
    }
    if (attempt < input.attempts) await input.sleep(input.intervalMs);
  }
  return {
    ok: false,
    message: [
      `Stage ${input.stage} is NOT serving version ${input.version} at ${input.url} after ${input.attempts} checks (last: ${seen}).`,
      "The deploy did not finish: alchemy exits 0 when its run is killed, so this check fails the job instead.",
      "Read the deploy step's log, then deploy again.",
    ].join("\n"),
  };
}
