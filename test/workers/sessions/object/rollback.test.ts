// Rolling code back one release: an object that already has the newer schema step is served when the step is
// compatible, and refused with a clear 503 (never a 500, never a write) when it is not.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  applyMigrations,
  MIGRATIONS,
  type Migration,
  minReaderVersion,
  SchemaTooNewError,
  schemaVersion,
} from "../../../../src/sessions/object/migrations.ts";
import { Sql } from "../../../../src/shared/sql.ts";
import { call } from "../../helpers/auth.ts";
import { createSession as createSessionThroughApi, userWithClient } from "../../helpers/client.ts";
import { appendMessages } from "../api/helpers.ts";
import { append, createSession, expectError, expectOk, type SessionStubT, stubFor } from "./helpers.ts";

const LATEST = MIGRATIONS.at(-1)?.version ?? 0;

/** The step release N+1 adds. This code is release N: it knows MIGRATIONS and nothing after. */
function nextStep(compatibleWithPrevious: boolean): Migration {
  return compatibleWithPrevious
    ? {
        version: LATEST + 1,
        name: "message_reactions",
        sql: "CREATE TABLE message_reactions (message_seq INTEGER NOT NULL, emoji TEXT NOT NULL, user_id TEXT NOT NULL);",
        compatibleWithPrevious,
      }
    : {
        version: LATEST + 1,
        name: "rename_message_content",
        sql: "ALTER TABLE messages RENAME COLUMN content TO body;",
        compatibleWithPrevious,
      };
}

/** What release N+1 does to an object on its next wake; the following wake runs this release again. */
async function upgradeToNextRelease(stub: SessionStubT, step: Migration) {
  await runInDurableObject(stub, (_instance, state) => {
    const sql = new Sql(state.storage);
    sql.transaction(() => applyMigrations(sql, [...MIGRATIONS, step]));
  });
  await evictDurableObject(stub);
}

describe("SessionDO after a rollback of one release", () => {
  it("serves, and keeps writing to, an object that has a newer compatible step", async () => {
    const { stub, ownerId } = await createSession({ title: "Touched by N+1" });
    await append(stub, ownerId, "written by N");
    await upgradeToNextRelease(stub, nextStep(true));

    expect(expectOk(await stub.getSessionMeta())).toMatchObject({ title: "Touched by N+1", lastSeq: 1 });
    expect((await append(stub, ownerId, "written by N after the rollback")).message.seq).toBe(2);
    const page = expectOk(await stub.listMessages({ limit: 10 }));
    expect(page.messages.map((m) => m.content)).toEqual(["written by N", "written by N after the rollback"]);

    // The newer step is still there for N+1 to find when it comes back: nothing was undone or re-applied.
    const ledger = await runInDurableObject(stub, (_instance, state) => {
      const sql = new Sql(state.storage);
      return { version: schemaVersion(sql), minReader: minReaderVersion(sql) };
    });
    expect(ledger).toEqual({ version: LATEST + 1, minReader: expect.any(Number) });
    expect(ledger.minReader).toBeLessThanOrEqual(LATEST);
  });

  it("answers 503 session_schema_too_new through the API for an object with a step it cannot read", async () => {
    const { api, user } = await userWithClient("Rolled back");
    const session = await createSessionThroughApi(api, { title: "Touched by N+1" });
    await appendMessages(api, session.id, ["before the upgrade"]);
    const stub = stubFor(session.id);
    await upgradeToNextRelease(stub, nextStep(false));

    const res = await call(`/v1/sessions/${session.id}/messages`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: {
        code: "session_schema_too_new",
        message: expect.stringContaining("newer release"),
        details: { schemaVersion: LATEST + 1, requiresCodeVersion: LATEST + 1, codeVersion: LATEST },
      },
    });
    // A write is refused the same way, and the object is left exactly as N+1 wrote it.
    const post = await call(`/v1/sessions/${session.id}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
      body: JSON.stringify({ content: "lost?" }),
    });
    expect(post.status).toBe(503);
    expectError(await stub.initSession({ id: session.id, ownerId: user.id }), "session_schema_too_new", 503);
    const rows = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec<{ body: string }>("SELECT body FROM messages").toArray(),
    );
    expect(rows.map((row) => row.body)).toEqual(["before the upgrade"]);
  });

  it("leaves the object whole for release N+1, which serves it again when it is redeployed", async () => {
    const { stub, ownerId } = await createSession();
    await append(stub, ownerId, "kept through the rollback");
    const step = nextStep(false);
    await upgradeToNextRelease(stub, step);
    expectError(await stub.getSessionMeta(), "session_schema_too_new", 503);
    expectError(await stub.appendMessage({ authorId: ownerId, content: "refused" }), "session_schema_too_new", 503);
    // Release N+1's own open logic, as its SessionDO runs it on wake: nothing to apply, every row there.
    const reopened = await runInDurableObject(stub, (_instance, state) => {
      const sql = new Sql(state.storage);
      const version = sql.transaction(() => applyMigrations(sql, [...MIGRATIONS, step]));
      return { version, bodies: sql.all<{ body: string }>("SELECT body FROM messages").map((row) => row.body) };
    });
    expect(reopened).toEqual({ version: LATEST + 1, bodies: ["kept through the rollback"] });
  });
});

describe("minimum reader version", () => {
  it("is the highest applied step older code cannot read; compatible steps on top never raise it", async () => {
    const { stub } = await createSession();
    await runInDurableObject(stub, (_instance, state) => {
      const sql = new Sql(state.storage);
      const additive = (version: number): Migration => ({
        version,
        name: `additive_${version}`,
        sql: `CREATE TABLE additive_${version} (x TEXT);`,
        compatibleWithPrevious: true,
      });
      const lastIncompatible = Math.max(...MIGRATIONS.filter((s) => !s.compatibleWithPrevious).map((s) => s.version));
      expect(minReaderVersion(sql)).toBe(lastIncompatible);
      // Two releases' worth of additive steps: code two releases back still reads the object.
      sql.transaction(() => applyMigrations(sql, [...MIGRATIONS, additive(LATEST + 1), additive(LATEST + 2)]));
      expect(minReaderVersion(sql)).toBe(lastIncompatible);
      expect(sql.transaction(() => applyMigrations(sql, MIGRATIONS))).toBe(LATEST + 2);
      // Code that stops before the last incompatible step is refused, naming what it would need.
      const tooOld = MIGRATIONS.filter((s) => s.version < lastIncompatible);
      expect(() => sql.transaction(() => applyMigrations(sql, tooOld))).toThrow(SchemaTooNewError);
      expect(() => sql.transaction(() => applyMigrations(sql, tooOld))).toThrow(
        `needs code that knows version ${lastIncompatible}`,
      );
    });
  });

  it("is recorded for objects whose ledger predates it, from the steps this code knows", async () => {
    const { stub } = await createSession();
    const flags = await runInDurableObject(stub, (_instance, state) => {
      const sql = new Sql(state.storage);
      // The ledger as releases before this one left it: no compatibility column, nothing declared.
      sql.run("ALTER TABLE schema_migrations DROP COLUMN compatible_with_previous");
      sql.transaction(() => applyMigrations(sql));
      return sql.all<{ version: number; compatible_with_previous: number }>(
        "SELECT version, compatible_with_previous FROM schema_migrations ORDER BY version",
      );
    });
    expect(flags).toEqual(
      MIGRATIONS.map((s) => ({ version: s.version, compatible_with_previous: s.compatibleWithPrevious ? 1 : 0 })),
    );
  });
});
