// The D1 migration step (infra/d1-migrations) against the Cloudflare API double's real SQLite: restore points,
// checksums, drift refused or rebuilt, a failing file reported truthfully, and Time Travel restoring for real.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "../../../infra/core/runtime.ts";
import { MigrationError, migrateD1 } from "../../../infra/d1-migrations/apply.ts";
import { cloudflareD1, type D1Http } from "../../../infra/d1-migrations/d1-http.ts";
import { checksumOf, type MigrationFile, readMigrationFiles } from "../../../infra/d1-migrations/files.ts";
import { type CloudflareDouble, startCloudflareDouble } from "../rehearsal/cloudflare-double/index.ts";

const ACCOUNT = "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1";
const TOKEN = "d1-migrations-test-token";

const file = (name: string, sql: string): MigrationFile => ({ name, sql, checksum: checksumOf(sql) });

describe("D1 migrations of a deployed stage", () => {
  let double: CloudflareDouble;
  let projectFiles: MigrationFile[];
  let counter = 0;

  beforeAll(async () => {
    double = await startCloudflareDouble({ accountId: ACCOUNT, apiToken: TOKEN });
    // The adapter reads what alchemy's client reads.
    Object.assign(process.env, {
      CLOUDFLARE_BASE_URL: double.baseUrl,
      CLOUDFLARE_API_TOKEN: TOKEN,
      CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
    });
    projectFiles = await readMigrationFiles(MIGRATIONS_DIR);
  });
  afterAll(async () => {
    await double?.stop();
  });

  /** A new database on the double, and the step's view of it. */
  async function freshDatabase() {
    const name = `d1-migrations-test-${++counter}`;
    const res = await fetch(`${double.baseUrl}/accounts/${ACCOUNT}/d1/database`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name }),
    });
    const { result } = (await res.json()) as { result: { uuid: string } };
    const database = { id: result.uuid, name };
    const d1 = cloudflareD1(database.id);
    const lines: string[] = [];
    const summary: string[] = [];
    const migrate = (files: readonly MigrationFile[], protectedStage: boolean, target: D1Http = d1) =>
      migrateD1({
        stage: protectedStage ? "prod" : "preview-x",
        protectedStage,
        database,
        files,
        d1: target,
        log: (line) => lines.push(line),
        summary: (markdown) => {
          summary.push(markdown);
        },
      });
    const rows = async (sql: string) => (await d1.query(sql))[0] ?? [];
    const tables = async () =>
      (await rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'"))
        .map((row) => row.name)
        .sort();
    const ledger = async () => (await rows("SELECT name FROM d1_migrations ORDER BY id")).map((row) => row.name);
    return { database, d1, lines, summary, migrate, rows, tables, ledger };
  }

  it("records a restore point before the first write on a protected stage, then applies and checksums every file", async () => {
    const db = await freshDatabase();
    const order: string[] = [];
    const spy: D1Http = {
      bookmark: () => {
        order.push("bookmark");
        return db.d1.bookmark();
      },
      query: (sql) => {
        order.push("query");
        return db.d1.query(sql);
      },
    };
    const outcome = await db.migrate(projectFiles, true, spy);
    expect(order[0]).toBe("bookmark");
    expect(outcome.applied).toEqual(projectFiles.map((f) => f.name));
    expect(await db.ledger()).toEqual(projectFiles.map((f) => f.name));
    const checksums = await db.rows("SELECT name, checksum, source FROM d1_migration_checksums ORDER BY name");
    expect(checksums).toEqual(projectFiles.map((f) => ({ name: f.name, checksum: f.checksum, source: "applied" })));

    const restore = `npx wrangler d1 time-travel restore ${db.database.name} --bookmark=${outcome.bookmark}`;
    expect(outcome.bookmark).toMatch(/^[0-9a-f]{8}-/);
    expect(db.lines.join("\n")).toContain(restore);
    expect(db.summary.join("\n")).toContain(restore);
    expect(db.summary.join("\n")).toContain(`time_travel/restore?bookmark=${outcome.bookmark}`);

    // Unchanged redeploy: a new restore point, nothing applied.
    const again = await db.migrate(projectFiles, true);
    expect(again.applied).toEqual([]);
    expect(again.bookmark).not.toBe(outcome.bookmark);
  });

  it("takes no restore point on a preview", async () => {
    const db = await freshDatabase();
    expect((await db.migrate(projectFiles, false)).bookmark).toBeUndefined();
    expect(db.lines.join("\n")).not.toContain("time-travel");
  });

  it("refuses a protected stage whose applied file was edited or removed, naming it, and writes nothing", async () => {
    const db = await freshDatabase();
    const first = file("0001_things.sql", "CREATE TABLE things (id INTEGER PRIMARY KEY);");
    const second = file("0002_more.sql", "CREATE TABLE more (id INTEGER PRIMARY KEY);");
    await db.migrate([first, second], true);
    const edited = file(first.name, "CREATE TABLE things (id INTEGER PRIMARY KEY, extra TEXT);");
    const pending = file("0003_pending.sql", "CREATE TABLE pending (id INTEGER PRIMARY KEY);");

    const refused = db.migrate([edited, pending], true);
    await expect(refused).rejects.toThrow(MigrationError);
    await expect(refused).rejects.toThrow(
      new RegExp(`${first.name} was edited after it was applied[\\s\\S]*0002_more.sql was applied but is no longer`),
    );
    expect(db.summary.at(-1)).toContain("D1 migrations refused");
    expect(await db.ledger()).toEqual([first.name, second.name]);
    expect(await db.tables()).not.toContain("pending");

    // A change of line endings alone is no edit (a Windows checkout).
    const crlf = file(first.name, first.sql.replaceAll("\n", "\r\n"));
    await expect(db.migrate([crlf, second], true)).resolves.toMatchObject({ applied: [] });
  });

  it("rebuilds a preview's database from scratch when an applied file changed, and says so", async () => {
    const db = await freshDatabase();
    const parts =
      "CREATE TABLE parts (id INTEGER PRIMARY KEY, thing_id INTEGER NOT NULL REFERENCES things (id) ON DELETE CASCADE);";
    const first = file("0001_things.sql", `CREATE TABLE things (id INTEGER PRIMARY KEY);\n${parts}`);
    await db.migrate([first], false);
    await db.d1.query("INSERT INTO things (id) VALUES (1);\nINSERT INTO parts (id, thing_id) VALUES (1, 1)");
    const edited = file(
      first.name,
      `CREATE TABLE things (id INTEGER PRIMARY KEY, label TEXT NOT NULL DEFAULT '');\n${parts}`,
    );

    const outcome = await db.migrate([edited], false);
    expect(outcome).toMatchObject({ rebuilt: true, applied: [first.name] });
    expect(db.lines.join("\n")).toMatch(/0001_things.sql was edited after it was applied.*Rebuilt its D1 database/);
    expect(await db.rows("SELECT * FROM things")).toEqual([]);
    expect((await db.rows("PRAGMA table_info(things)")).map((c) => c.name)).toEqual(["id", "label"]);
    expect(await db.rows("SELECT checksum FROM d1_migration_checksums")).toEqual([{ checksum: edited.checksum }]);
  });

  it("rebuilds a preview of the project's own schema, whose tables reference each other", async () => {
    const db = await freshDatabase();
    await db.migrate(projectFiles, false);
    await db.d1.query(
      "INSERT INTO users (id, email, created_at, updated_at) VALUES ('u1', 'a@example.com', 1, 1);\nINSERT INTO sessions (id, owner_id, created_at, updated_at, last_activity_at) VALUES ('s1', 'u1', 1, 1, 1);\nINSERT INTO session_members (session_id, user_id, role, created_at) VALUES ('s1', 'u1', 'owner', 1)",
    );
    const before = await db.d1.bookmark();
    const [head, ...rest] = projectFiles as [MigrationFile, ...MigrationFile[]];
    const edited = file(head.name, `${head.sql}\n-- edited after it was applied\n`);
    await expect(db.migrate([edited, ...rest], false)).resolves.toMatchObject({ rebuilt: true });
    expect(await db.rows("SELECT count(*) AS n FROM users")).toEqual([{ n: 0 }]);
    expect(await db.ledger()).toEqual(projectFiles.map((f) => f.name));

    // The double's Time Travel puts the same schema, rows and references back.
    const restore = await fetch(
      `${double.baseUrl}/accounts/${ACCOUNT}/d1/database/${db.database.id}/time_travel/restore?bookmark=${before}`,
      { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } },
    );
    expect(restore.status, await restore.clone().text()).toBe(200);
    expect(await db.rows("SELECT user_id, role FROM session_members")).toEqual([{ user_id: "u1", role: "owner" }]);
    expect(await db.rows("PRAGMA foreign_key_check")).toEqual([]);
  });

  it("adopts a database alchemy migrated before checksums were kept, recording what the files are now", async () => {
    const db = await freshDatabase();
    const first = file("0001_things.sql", "CREATE TABLE things (id INTEGER PRIMARY KEY);");
    // What alchemy's own D1 migration left: its ledger, no checksums.
    await db.d1.query(
      `CREATE TABLE d1_migrations (id TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);\n${first.sql}\nINSERT INTO d1_migrations VALUES ('00001', '${first.name}', datetime('now'))`,
    );
    const next = file("0002_more.sql", "CREATE TABLE more (id INTEGER PRIMARY KEY);");
    const outcome = await db.migrate([first, next], true);
    expect(outcome).toMatchObject({ adopted: [first.name], applied: [next.name] });
    expect(await db.rows("SELECT id, name FROM d1_migrations ORDER BY id")).toEqual([
      { id: "00001", name: first.name },
      { id: "00002", name: next.name },
    ]);
    expect(await db.rows("SELECT name, source FROM d1_migration_checksums ORDER BY name")).toEqual([
      { name: first.name, source: "adopted" },
      { name: next.name, source: "applied" },
    ]);
  });

  it("reports a file that fails part-way: none of it applied, earlier files applied and recorded, the way back printed", async () => {
    const db = await freshDatabase();
    const base = file("0001_accounts.sql", "CREATE TABLE accounts (id INTEGER PRIMARY KEY);");
    await db.migrate([base], true);
    await db.d1.query("INSERT INTO accounts (id) VALUES (1), (2)");
    const good = file("0002_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);");
    const bad = file(
      "0003_half.sql",
      "CREATE TABLE half (id INTEGER PRIMARY KEY);\nDELETE FROM accounts;\nINSERT INTO missing_table VALUES (1);\n",
    );
    const after = file("0004_after.sql", "CREATE TABLE after_bad (id INTEGER PRIMARY KEY);");

    const failed = db.migrate([base, good, bad, after], true);
    await expect(failed).rejects.toThrow(MigrationError);
    const message = await failed.catch((error: Error) => error.message);
    expect(message).toContain("D1 migration 0003_half.sql failed on stage prod");
    expect(message).toContain("missing_table");
    expect(message).toContain("None of 0003_half.sql was applied");
    expect(message).toContain("before it, and recorded in the ledger: 0002_notes.sql");
    expect(message).toContain("Not attempted: 0004_after.sql");
    expect(db.summary.at(-1)).toContain("D1 migration failed");

    // What the database really holds: the ledger tells the truth about every file.
    expect(await db.ledger()).toEqual([base.name, good.name]);
    expect(await db.tables()).toContain("notes");
    expect(await db.tables()).not.toContain("half");
    expect(await db.rows("SELECT id FROM accounts ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }]);

    // The restore point printed before the deploy undoes 0002 as well: back to the state before it.
    const points = [...db.lines.join("\n").matchAll(/pending migration\(s\): (\S+)/g)];
    const bookmark = points.at(-1)?.[1] as string;
    const restore = await fetch(
      `${double.baseUrl}/accounts/${ACCOUNT}/d1/database/${db.database.id}/time_travel/restore?bookmark=${bookmark}`,
      { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } },
    );
    expect(restore.status).toBe(200);
    expect(((await restore.json()) as { result: { previous_bookmark: string } }).result.previous_bookmark).toMatch(
      /^[0-9a-f]{8}-/,
    );
    expect(await db.ledger()).toEqual([base.name]);
    expect(await db.tables()).not.toContain("notes");
    expect(await db.rows("SELECT id FROM accounts ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }]);

    // A never-applied file may be fixed; the next deploy applies the rest.
    const fixed = file(bad.name, "CREATE TABLE half (id INTEGER PRIMARY KEY);");
    const outcome = await db.migrate([base, good, fixed, after], true);
    expect(outcome.applied).toEqual([good.name, fixed.name, after.name]);
  });

  it("lets older code deploy over newer migrations (a rollback), saying they stay applied", async () => {
    const db = await freshDatabase();
    const first = file("0001_things.sql", "CREATE TABLE things (id INTEGER PRIMARY KEY);");
    const second = file("0002_more.sql", "CREATE TABLE more (id INTEGER PRIMARY KEY);");
    await db.migrate([first, second], true);
    await expect(db.migrate([first], true)).resolves.toMatchObject({ applied: [] });
    expect(db.lines.join("\n")).toContain("runs code older than its database: 0002_more.sql stay applied");
    expect(await db.ledger()).toEqual([first.name, second.name]);
  });

  it("refuses a file name that is not `NNNN_name.sql`", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "d1-files-"));
    await writeFile(join(dir, "0001_ok.sql"), "SELECT 1;");
    await writeFile(join(dir, "it's bad.sql"), "SELECT 1;");
    await expect(readMigrationFiles(dir)).rejects.toThrow("rename: it's bad.sql");
  });
});
