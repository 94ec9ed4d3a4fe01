// The Cloudflare API as the delivery scripts and the deploy's preflight read it, through CLOUDFLARE_BASE_URL when set
// (a local API double in rehearsals).
import { assertDeployCredentials } from "../credentials.ts";
import type { Fetch } from "./github-api.ts";

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_CLOUDFLARE_API_URL = "https://api.cloudflare.com/client/v4";
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

interface Envelope {
  success?: boolean;
  errors?: { code?: number; message?: string }[];
  result?: unknown;
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
  /** `/accounts/{account id}`: the prefix of every account-scoped path. */
  readonly account: string;
  /** The envelope's `result`; throws CloudflareApiError when Cloudflare refuses. */
  request(method: string, path: string, body?: unknown): Promise<unknown>;
}

export function cloudflareClientFromEnv(env: Env, fetchImpl: Fetch = fetch): CloudflareClient {
  assertDeployCredentials({ ...env });
  const baseUrl = (env.CLOUDFLARE_BASE_URL || DEFAULT_CLOUDFLARE_API_URL).replace(/\/+$/, "");

  async function request(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${env.CLOUDFLARE_API_TOKEN}`,
      accept: "application/json",
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetchImpl(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((error: Error) => {
      throw new Error(`Cloudflare API at ${baseUrl} unreachable (${method} ${path}): ${causeOf(error)}`);
    });
    const text = await response.text();
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      throw new Error(`Cloudflare ${method} ${path} answered ${response.status} with something other than JSON.`);
    }
    if (!response.ok || envelope.success === false) {
      const reason = envelope.errors?.map((error) => `${error.message} [code ${error.code}]`).join("; ");
      throw new CloudflareApiError(
        `Cloudflare ${method} ${path} failed with ${response.status}: ${reason || text.slice(0, 300)}`,
        response.status,
        (envelope.errors ?? []).flatMap((error) => (typeof error.code === "number" ? [error.code] : [])),
      );
    }
    return envelope.result;
  }

  return { account: `/accounts/${env.CLOUDFLARE_ACCOUNT_ID}`, request };
}

export async function list(client: CloudflareClient, path: string): Promise<unknown[]> {
  const result = await client.request("GET", path);
  if (!Array.isArray(result)) throw new Error(`Cloudflare GET ${path} returned something other than a list.`);
  return result;
}

/** Every item of a paginated account listing (D1, Durable Object namespaces). */
export async function listAll(client: CloudflareClient, path: string): Promise<unknown[]> {
  const all: unknown[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const batch = await list(client, `${path}?page=${page}&per_page=${PAGE_SIZE}`);
    all.push(...batch);
    if (batch.length < PAGE_SIZE) return all;
  }
  throw new Error(`Cloudflare GET ${path}: more than ${MAX_PAGES} pages; refusing to guess.`);
}

export async function loadInventory(env: Env, fetchImpl: Fetch = fetch): Promise<CloudflareInventory> {
  const client = cloudflareClientFromEnv(env, fetchImpl);
  const [scripts, databases, namespaces] = await Promise.all([
    list(client, `${client.account}/workers/scripts`),
    listAll(client, `${client.account}/d1/database`),
    listAll(client, `${client.account}/workers/durable_objects/namespaces`),
  ]);
  return {
    workers: scripts.map((script) => field(script, "id")),
    databases: databases.map((database) => field(database, "name")),
    durableObjectNamespaces: namespaces.map((namespace) => ({
      id: field(namespace, "id"),
      name: optionalField(namespace, "name"),
      script: optionalField(namespace, "script"),
      class: optionalField(namespace, "class"),
    })),
  };
}

function causeOf(error: Error): string {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

export function optionalField(item: unknown, key: string): string | undefined {
  const value = (item as Record<string, unknown> | null)?.[key];
  return typeof value === "string" ? value : undefined;
}

function field(item: unknown, key: string): string {
  const value = optionalField(item, key);
  if (value === undefined) throw new Error(`Cloudflare returned an item without "${key}".`);
  return value;
}
