// D1 Time Travel in the double: a bookmark is a snapshot of the database's schema and rows, and restoring one
// really puts the database back (the real service keeps a log; the double keeps whole copies, fine for rehearsals).
import { createHash } from "node:crypto";
import type { Edge } from "./edge.ts";
import { CloudflareError } from "./envelope.ts";

type Row = Record<string, unknown>;

interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}

interface Snapshot {
  schema: SchemaObject[];
  rows: Map<string, Row[]>;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** The runtime's own tables (`_cf_*`) and SQLite's are neither copied nor dropped. */
const USER_OBJECTS =
  "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY rowid";

export class TimeTravel {
  readonly #edge: Edge;
  readonly #snapshots = new Map<string, { database: string; snapshot: Snapshot }>();
  #counter = 0;

  constructor(edge: Edge) {
    this.#edge = edge;
  }

  /** The bookmark of the database as it is now, in Cloudflare's sortable shape (`00000001-00000000-…-<hash>`). */
  async bookmark(database: string): Promise<string> {
    const snapshot = await this.#read(database);
    const counter = (++this.#counter).toString(16).padStart(8, "0");
    const hash = createHash("sha256").update(`${database}/${counter}`).digest("hex");
    const bookmark = `${counter}-00000000-00000000-${hash}`;
    this.#snapshots.set(bookmark, { database, snapshot });
    return bookmark;
  }

  /** Puts the database back as it was at `bookmark`; answers as Cloudflare does, with the bookmark to undo it. */
  async restore(database: string, bookmark: string) {
    const saved = this.#snapshots.get(bookmark);
    if (!saved || saved.database !== database) {
      throw new CloudflareError(400, 7400, `Invalid bookmark ${bookmark} for database ${database}.`);
    }
    const previous = await this.bookmark(database);
    const current = await this.#read(database);
    // Newest first: a table that references another was created after it, and goes before it.
    const drops = current.schema
      .filter((object) => object.type === "table" || object.type === "view")
      .map((object) => ({ sql: `DROP ${object.type.toUpperCase()} IF EXISTS ${quoted(object.name)}`, params: [] }))
      .reverse();
    const { schema, rows } = saved.snapshot;
    const creates = schema
      .filter((o) => o.sql && o.type === "table")
      .map((o) => ({ sql: o.sql as string, params: [] }));
    const inserts = [...rows].flatMap(([table, tableRows]) =>
      tableRows.map((row) => {
        const columns = Object.keys(row);
        return {
          sql: `INSERT INTO ${quoted(table)} (${columns.map(quoted).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
          params: Object.values(row),
        };
      }),
    );
    const rest = schema.filter((o) => o.sql && o.type !== "table").map((o) => ({ sql: o.sql as string, params: [] }));
    await this.#edge.batch(database, [
      { sql: "PRAGMA defer_foreign_keys = on", params: [] },
      ...drops,
      ...creates,
      ...inserts,
      ...rest,
    ]);
    return {
      bookmark: await this.bookmark(database),
      previous_bookmark: previous,
      message: `Restored database ${database} to bookmark ${bookmark}.`,
    };
  }

  async #read(database: string): Promise<Snapshot> {
    const [objects] = await this.#edge.query(database, [USER_OBJECTS]);
    const schema = (objects?.results ?? []) as SchemaObject[];
    const tables = schema.filter((object) => object.type === "table").map((object) => object.name);
    const results = tables.length
      ? await this.#edge.query(
          database,
          tables.map((table) => `SELECT * FROM ${quoted(table)}`),
        )
      : [];
    return { schema, rows: new Map(tables.map((table, i) => [table, (results[i]?.results ?? []) as Row[]])) };
  }
}
