// The one way a Durable Object talks to its SQLite: typed rows, bound parameters only, never string-built values.
import type { JsonObject } from "./json.ts";

export type SqlParam = string | number | null;
export type Row = Record<string, SqlStorageValue>;

export class Sql {
  private readonly storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
  }

  all<T extends Row>(query: string, ...params: SqlParam[]): T[] {
    return this.storage.sql.exec<T>(query, ...params).toArray();
  }

  /** The first row, or undefined. Queries that use it should say LIMIT 1 so the cursor is drained. */
  first<T extends Row>(query: string, ...params: SqlParam[]): T | undefined {
    return this.all<T>(query, ...params)[0];
  }

  /** Runs a statement (or a script of several, without parameters) for its effect. */
  run(query: string, ...params: SqlParam[]): void {
    this.storage.sql.exec(query, ...params).toArray();
  }

  /** All or nothing: a throw inside rolls every write back. */
  transaction<T>(body: () => T): T {
    return this.storage.transactionSync(body);
  }
}

/** JSON columns: empty objects are stored as NULL, as most sessions and messages carry none. */
export const storeJson = (value: JsonObject | undefined): string | null =>
  value === undefined || Object.keys(value).length === 0 ? null : JSON.stringify(value);

/** Only for text this object wrote with storeJson. */
export const loadJson = (text: string | null): JsonObject => (text === null ? {} : JSON.parse(text));
