// What exists on the Cloudflare account, read through CLOUDFLARE_BASE_URL when set (a local API double in rehearsals).
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
  errors?: { message?: string }[];
  result?: unknown;
}

export async function loadInventory(env: Env, fetchImpl: Fetch = fetch): Promise<CloudflareInventory> {
  assertDeployCredentials({ ...env });
  const baseUrl = (env.CLOUDFLARE_BASE_URL || DEFAULT_CLOUDFLARE_API_URL).replace(/\/+$/, "");
  const account = `/accounts/${env.CLOUDFLARE_ACCOUNT_ID}`;

  async function get(path: string): Promise<unknown[]> {
    const response = await fetchImpl(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${env.CLOUDFLARE_API_TOKEN}`, accept: "application/json" },
    }).catch((error: Error) => {
      throw new Error(`Cloudflare API at ${baseUrl} unreachable (GET ${path}): ${causeOf(error)}`);
    });
    const text = await response.text();
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      throw new Error(`Cloudflare GET ${path} answered ${response.status} with something other than JSON.`);
    }
    if (!response.ok || envelope.success === false || !Array.isArray(envelope.result)) {
      const reason = envelope.errors?.map((error) => error.message).join("; ") || text.slice(0, 300);
      throw new Error(`Cloudflare GET ${path} failed with ${response.status}: ${reason}`);
    }
    return envelope.result;
  }

  async function getAll(path: string): Promise<unknown[]> {
    const all: unknown[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const batch = await get(`${path}?page=${page}&per_page=${PAGE_SIZE}`);
      all.push(...batch);
      if (batch.length < PAGE_SIZE) return all;
    }
    throw new Error(`Cloudflare GET ${path}: more than ${MAX_PAGES} pages; refusing to guess.`);
  }

  const [scripts, databases, namespaces] = await Promise.all([
    get(`${account}/workers/scripts`),
    getAll(`${account}/d1/database`),
    getAll(`${account}/workers/durable_objects/namespaces`),
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

function optionalField(item: unknown, key: string): string | undefined {
  const value = (item as Record<string, unknown> | null)?.[key];
  return typeof value === "string" ? value : undefined;
}

function field(item: unknown, key: string): string {
  const value = optionalField(item, key);
  if (value === undefined) throw new Error(`Cloudflare returned an item without "${key}".`);
  return value;
}
