// The Cloudflare API for the delivery scripts and the deploy's preflight: Cloudflare's official SDK, built from the
// environment (CLOUDFLARE_BASE_URL when set: a local API double in rehearsals), its refusals turned into ours.
import Cloudflare, { APIConnectionError, APIError } from "cloudflare";
import { assertDeployCredentials } from "../core/credentials.ts";
import type { Fetch } from "./github-api.ts";

type Env = Readonly<Record<string, string | undefined>>;

const PAGE_SIZE = 100;
const MAX_PAGES = 100;

export interface DurableObjectNamespaceInfo {
  id: string;
  name?: string;
  script?: string;
  class?: string;
}

/** The account-wide lists the teardown check and the sweeper read: three listings, whatever the number of stages. */
export interface CloudflareInventory {
  workers: string[];
  databases: string[];
  durableObjectNamespaces: DurableObjectNamespaceInfo[];
}

/** A refusal from the API, with Cloudflare's HTTP status and error codes so callers can tell cases apart. */
export class CloudflareApiError extends Error {
  override name = "CloudflareApiError";
  readonly status: number;
  readonly codes: number[];

  constructor(message: string, status: number, codes: number[]) {
    super(message);
    this.status = status;
    this.codes = codes;
  }
}

export interface CloudflareClient {
  readonly accountId: string;
  /**
   * Runs SDK calls for `what` (a short description for messages, e.g. "GET workers/subdomain"). A refusal becomes a
   * CloudflareApiError, an unreachable API a plain Error naming the base URL; neither carries the token.
   */
  call<T>(what: string, run: (api: Cloudflare) => Promise<T>): Promise<T>;
}

/**
 * The SDK reads CLOUDFLARE_API_KEY, CLOUDFLARE_EMAIL and CLOUDFLARE_LOG from process.env on its own: every option is
 * set here so only the environment passed in counts. No retries: a retried D1 query could apply a migration twice,
 * and each caller knows better whether a call may be repeated.
 */
export function cloudflareClientFromEnv(env: Env, fetchImpl?: Fetch): CloudflareClient {
  assertDeployCredentials({ ...env });
  const api = new Cloudflare({
    apiToken: env.CLOUDFLARE_API_TOKEN,
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    baseURL: env.CLOUDFLARE_BASE_URL || null,
    maxRetries: 0,
    logLevel: "warn",
    // The SDK passes the URL as a string; tests hand in a fetch that takes only that.
    ...(fetchImpl
      ? { fetch: (input: string | URL | Request, init?: RequestInit) => fetchImpl(String(input), init) }
      : {}),
  });
  return {
    accountId: env.CLOUDFLARE_ACCOUNT_ID as string,
    call: (what, run) => run(api).catch((error: unknown) => Promise.reject(vendorError(api.baseURL, what, error))),
  };
}

/** Cloudflare's error envelope (`errors: [{ code, message }]`) as one clear line; other failures pass through. */
function vendorError(baseUrl: string, what: string, error: unknown): unknown {
  if (error instanceof APIConnectionError) {
    return new Error(`Cloudflare API at ${baseUrl} unreachable (${what}): ${causes(error)}`);
  }
  if (!(error instanceof APIError) || error.status === undefined) return error;
  const errors = (error.errors ?? []) as { code?: unknown; message?: unknown }[];
  const reason = errors.map((e) => `${String(e.message)} [code ${String(e.code)}]`).join("; ");
  const codes = errors.flatMap((e) => (typeof e.code === "number" ? [e.code] : []));
  return new CloudflareApiError(
    `Cloudflare ${what} failed with ${error.status}: ${reason || error.message.slice(0, 300)}`,
    error.status,
    codes,
  );
}

/** The messages down an error's cause chain ("Connection error.: fetch failed: connect ECONNREFUSED …"). */
function causes(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e instanceof Error && messages.length < 4; e = e.cause) messages.push(e.message);
  return messages.join(": ");
}

/** The pages the SDK walks, bounded: an API that never ends a listing gets an error, not an endless loop. */
interface Paged<T> {
  iterPages(): AsyncIterable<{ getPaginatedItems(): T[] }>;
}

/** Every item of a paginated listing (the SDK asks for the next page until one comes back empty). */
async function allItems<T>(what: string, first: Promise<Paged<T>>): Promise<T[]> {
  const all: T[] = [];
  let pages = 0;
  for await (const page of (await first).iterPages()) {
    if (++pages > MAX_PAGES) throw new Error(`Cloudflare ${what}: more than ${MAX_PAGES} pages; refusing to guess.`);
    all.push(...page.getPaginatedItems());
  }
  return all;
}

const pageSize = { per_page: PAGE_SIZE } as const;

export async function loadInventory(env: Env, fetchImpl?: Fetch): Promise<CloudflareInventory> {
  const client = cloudflareClientFromEnv(env, fetchImpl);
  const account_id = client.accountId;
  const [scripts, databases, namespaces] = await Promise.all([
    listWorkers(client),
    listDatabases(client),
    client.call("GET workers/durable_objects/namespaces", (api) =>
      allItems("GET durable_objects/namespaces", api.durableObjects.namespaces.list({ account_id, ...pageSize })),
    ),
  ]);
  return {
    workers: scripts.map((script) => required(script.id, "workers/scripts", "id")),
    databases: databases.map((database) => required(database.name, "d1/database", "name")),
    durableObjectNamespaces: namespaces.map((namespace) => ({
      id: required(namespace.id, "durable_objects/namespaces", "id"),
      name: namespace.name,
      script: namespace.script ?? undefined,
      class: namespace.class,
    })),
  };
}

/** The account's Workers (one page: Cloudflare lists them all at once). */
export function listWorkers(client: CloudflareClient) {
  return client.call("GET workers/scripts", (api) =>
    allItems("GET workers/scripts", api.workers.scripts.list({ account_id: client.accountId })),
  );
}

/** The account's D1 databases, every page. */
export function listDatabases(client: CloudflareClient) {
  return client.call("GET d1/database", (api) =>
    allItems("GET d1/database", api.d1.database.list({ account_id: client.accountId, ...pageSize })),
  );
}

/** The SDK's types mark most fields optional; the few this project cannot do without are checked here. */
function required<T>(value: T | null | undefined, listing: string, key: string): T {
  if (value === undefined || value === null)
    throw new Error(`Cloudflare returned an item of ${listing} without "${key}".`);
  return value;
}

/** A Worker's bindings, tags and settings (`GET …/workers/scripts/:name/settings`); 404 when there is no such Worker. */
export function readWorkerSettings(client: CloudflareClient, worker: string) {
  return client.call(`GET workers/scripts/${worker}/settings`, (api) =>
    api.workers.scripts.scriptAndVersionSettings.get(worker, { account_id: client.accountId }),
  );
}
