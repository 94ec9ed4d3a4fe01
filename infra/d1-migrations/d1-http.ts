// The two D1 calls the migration step makes (query, Time Travel bookmark), through alchemy's Cloudflare API client.
import { createCloudflareApi } from "alchemy/cloudflare";

export type D1Row = Record<string, unknown>;

/** A D1 database reached over Cloudflare's HTTP API. */
export interface D1Http {
  /**
   * Runs one or more statements joined by semicolons. D1 runs the body of one call as a batch: in
   * order, in one transaction, so a failing statement leaves none of the call's statements applied.
   * Returns the rows of each statement.
   */
  query(sql: string): Promise<D1Row[][]>;
  /** The Time Travel bookmark of the database's current state. */
  bookmark(): Promise<string>;
}

interface Envelope {
  success?: boolean;
  errors?: { code?: number; message?: string }[];
  result?: unknown;
}

/** D1 refused the SQL (or the call): the message is D1's own. */
export class D1CallError extends Error {
  override name = "D1CallError";
}

async function resultOf(what: string, response: Response): Promise<unknown> {
  const text = await response.text();
  let envelope: Envelope;
  try {
    envelope = JSON.parse(text) as Envelope;
  } catch {
    throw new D1CallError(`${what} answered ${response.status} with something other than JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok || envelope.success === false) {
    const reason = envelope.errors?.map((error) => error.message).join("; ") || text.slice(0, 300);
    throw new D1CallError(`${what} failed with ${response.status}: ${reason}`);
  }
  return envelope.result;
}

/** Uses CLOUDFLARE_BASE_URL, CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID as alchemy's D1Database does. */
export async function cloudflareD1(databaseId: string): Promise<D1Http> {
  const api = await createCloudflareApi();
  const path = `/accounts/${api.accountId}/d1/database/${databaseId}`;
  return {
    async query(sql) {
      const result = await resultOf("D1 query", await api.post(`${path}/query`, { sql }));
      if (!Array.isArray(result)) throw new D1CallError("D1 query returned no list of results.");
      return result.map((statement) => ((statement as { results?: D1Row[] }).results ?? []) as D1Row[]);
    },
    async bookmark() {
      const result = await resultOf("D1 Time Travel bookmark", await api.get(`${path}/time_travel/bookmark`));
      const bookmark = (result as { bookmark?: unknown } | null)?.bookmark;
      if (typeof bookmark !== "string" || !bookmark) throw new D1CallError("D1 Time Travel returned no bookmark.");
      return bookmark;
    },
  };
}
