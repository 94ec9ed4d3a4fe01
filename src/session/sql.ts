// The one way this object talks to its SQLite: typed rows, bound parameters only, never string-built values.
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
