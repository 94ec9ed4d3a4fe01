// The two D1 calls the migration step makes (query, Time Travel bookmark), through the project's Cloudflare API client.
import { type CloudflareClient, cloudflareClientFromEnv } from "../vendors/cloudflare-api.ts";

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

/** D1 answered, but not with what the step needs. Refusals of the SQL or the call are CloudflareApiError, with D1's message. */
export class D1CallError extends Error {
  override name = "D1CallError";
}

/** The database's two calls on a client (CLOUDFLARE_BASE_URL, CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID by default). */
export function cloudflareD1(
  databaseId: string,
  client: CloudflareClient = cloudflareClientFromEnv(process.env),
): D1Http {
  const account_id = client.accountId;
  return {
    async query(sql) {
      // One page: D1 answers one result per statement, all at once (the SDK models it as a single page).
      const page = await client.call("POST d1/database/query", (api) =>
        api.d1.database.query(databaseId, { account_id, sql }),
      );
      const results = page.getPaginatedItems();
      if (!Array.isArray(results)) throw new D1CallError("D1 query returned no list of results.");
      return results.map((statement) => (statement.results ?? []) as D1Row[]);
    },
    async bookmark() {
      const result = await client.call("GET d1/database/time_travel/bookmark", (api) =>
        api.d1.database.timeTravel.getBookmark(databaseId, { account_id }),
      );
      const bookmark = result?.bookmark;
      if (typeof bookmark !== "string" || !bookmark) throw new D1CallError("D1 Time Travel returned no bookmark.");
      return bookmark;
    },
  };
}
