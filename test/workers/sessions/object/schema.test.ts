import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS, schemaVersion } from "../../../../src/sessions/object/migrations.ts";
import { Sql } from "../../../../src/shared/sql.ts";
import {
  append,
  createSession,
  createUser,
  expectOk,
  indexRow,
  insertIndexRow,
  newId,
  stubFor,
  userTables,
} from "./helpers.ts";

const LATEST = MIGRATIONS.at(-1)?.version ?? 0;

describe("SessionDO schema", () => {
  it("creates every table and records each step in the ledger on initSession", async () => {
    const { stub } = await createSession();
    expect(await userTables(stub)).toEqual([
      "index_sync",
      "messages",
      "schema_migrations",
      "session_meta",
      "tasks",
      "ws_tickets",
    ]);
    const ledger = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql
        .exec<{ version: number; name: string }>("SELECT version, name FROM schema_migrations")
        .toArray(),
    );
    expect(ledger).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  it("upgrades an object written at version 1 on its next wake without losing a row", async () => {
    // The D1 row and the object as the first released version of the code left them.
    const ownerId = await createUser();
    const id = newId("ses");
    const stub = stubFor(id);
    const t = Date.UTC(2026, 0, 1);
    await runInDurableObject(stub, (_instance, state) => {
      const sql = new Sql(state.storage);
      sql.transaction(() => applyMigrations(sql, MIGRATIONS.slice(0, 1), t));
      sql.run(
        "INSERT INTO session_meta (singleton, id, owner_id, title, metadata, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?)",
        id,
        ownerId,
        "Written by v1",
        '{"topic":"upgrade"}',
        t,
        t,
      );
      for (const n of [1, 2, 3]) {
        sql.run(
          "INSERT INTO messages (id, role, content, metadata, author_id, idempotency_key, created_at) VALUES (?, 'user', ?, NULL, ?, ?, ?)",
          `old-${n}`,
          `message ${n}`,
          ownerId,
          `key-${n}`,
          t + n,
        );
      }
      sql.run(
        "INSERT INTO tasks (id, title, status, position, created_by, created_at, updated_at) VALUES ('old-task', 'Carry over', 'pending', 1, ?, ?, ?)",
        ownerId,
        t,
        t,
      );
      expect(schemaVersion(sql)).toBe(1);
    });
    await insertIndexRow(id, ownerId, "Written by v1", t);

    // The instance that ran above saw no ledger when it was built; a new one is the "next wake".
    await evictDurableObject(stub);
    const session = expectOk(await stub.getSessionMeta());
    expect(session).toMatchObject({ id, ownerId, title: "Written by v1", metadata: { topic: "upgrade" }, lastSeq: 3 });
    expect(session.openTaskCount).toBe(1);
    const page = expectOk(await stub.listMessages({ limit: 10 }));
    expect(page.messages.map((m) => [m.id, m.seq, m.content])).toEqual([
      ["old-1", 1, "message 1"],
      ["old-2", 2, "message 2"],
      ["old-3", 3, "message 3"],
    ]);
    expect(expectOk(await stub.listTasks()).map((task) => task.id)).toEqual(["old-task"]);
    const ledger = await runInDurableObject(stub, (_instance, state) => schemaVersion(new Sql(state.storage)));
    expect(ledger).toBe(LATEST);

    // Old idempotency keys still hold, new appends continue the sequence.
    const replay = expectOk(
      await stub.appendMessage({ authorId: ownerId, content: "message 2", idempotencyKey: "key-2" }),
    );
    expect(replay).toMatchObject({ created: false, message: { id: "old-2", seq: 2 } });
    expect((await append(stub, ownerId, "after upgrade")).message.seq).toBe(4);

    // The upgraded object noticed its D1 row was never refreshed and flushes it.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await indexRow(id)).toMatchObject({ message_count: 4, open_task_count: 1 });
  });

  it("rolls a failing step back whole, leaving the ledger where it was", async () => {
    const { stub } = await createSession();
    await runInDurableObject(stub, (_instance, state) => {
      const sql = new Sql(state.storage);
      const broken = [
        ...MIGRATIONS,
        {
          version: LATEST + 1,
          name: "broken",
          sql: "CREATE TABLE extra (x TEXT); INSERT INTO nowhere VALUES (1);",
          compatibleWithPrevious: true,
        },
      ];
      expect(() => sql.transaction(() => applyMigrations(sql, broken))).toThrow(/nowhere/);
      expect(schemaVersion(sql)).toBe(LATEST);
      expect(sql.all("SELECT name FROM sqlite_master WHERE name = 'extra'")).toEqual([]);
    });
  });

  it("refuses to run against a newer schema that does not declare itself compatible", async () => {
    const { stub } = await createSession();
    await runInDurableObject(stub, (_instance, state) => {
      const sql = new Sql(state.storage);
      sql.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', 0)", LATEST + 5);
      expect(() => applyMigrations(sql)).toThrow(/needs code that knows version/);
    });
  });
});
