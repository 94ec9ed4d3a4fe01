// A file of its own: it breaks D1 on purpose, and storage is isolated per test file.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { append, createSession, expectOk, indexRow } from "./helpers.ts";

describe("a failing index flush", () => {
  it("is counted, retried from the alarm, and loses nothing", async () => {
    const { id, stub, ownerId } = await createSession();
    await append(stub, ownerId, "one");
    await env.DB.exec(
      "CREATE TRIGGER refuse_flush BEFORE UPDATE ON sessions BEGIN SELECT RAISE(ABORT, 'D1 is down'); END;",
    );

    const before = Date.now();
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(expectOk(await stub.getIndexStats())).toMatchObject({ d1Writes: 0, d1Failures: 1, flushPending: true });
    const retryAt = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(retryAt).toBeGreaterThan(before + 5_000);
    expect(await indexRow(id)).toMatchObject({ message_count: 0 });

    await append(stub, ownerId, "two");
    await env.DB.exec("DROP TRIGGER refuse_flush;");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await indexRow(id)).toMatchObject({ message_count: 2, index_version: 2 });
    expect(expectOk(await stub.getIndexStats())).toMatchObject({ d1Writes: 1, d1Failures: 1, flushPending: false });
  });
});
