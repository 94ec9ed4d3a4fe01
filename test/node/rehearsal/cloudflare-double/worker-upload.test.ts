// The double refuses what Cloudflare refuses: these are the checks that make a wrong DO binding or migration fail a rehearsal.
import { describe, expect, it } from "vitest";
import { type Account, createAccount } from "./account.ts";
import { CloudflareError } from "./envelope.ts";
import { planUpload, type UploadMetadata } from "./worker-upload.ts";

const modules = [{ name: "index.js", contentType: "application/javascript+module", contents: new Uint8Array() }];
const DO_BINDING = { type: "durable_object_namespace", name: "SESSIONS", class_name: "SessionDO" };

function account(): Account {
  const acc = createAccount("a".repeat(32), "rehearsal");
  acc.databases.set("db-1", { uuid: "db-1", name: "app-db-x", createdAt: "2026-01-01T00:00:00Z" });
  return acc;
}

function upload(metadata: Partial<UploadMetadata>, previous?: ReturnType<typeof planUpload>["script"]) {
  return planUpload({
    account: account(),
    name: "app-worker-x",
    previous,
    metadata: { main_module: "index.js", compatibility_date: "2026-07-08", ...metadata },
    modules,
    now: new Date().toISOString(),
  });
}

function refusal(fn: () => unknown): CloudflareError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CloudflareError) return error;
    throw error;
  }
  throw new Error("The upload was accepted.");
}

const first = () =>
  upload({
    bindings: [DO_BINDING, { type: "d1", name: "DB", id: "db-1" }],
    migrations: { new_sqlite_classes: ["SessionDO"] },
  });

describe("planUpload", () => {
  it("introduces a SQLite Durable Object class once, then keeps it across redeploys", () => {
    const { script } = first();
    expect(script.classes).toEqual({ SessionDO: { sqlite: true } });
    const again = upload({ bindings: [DO_BINDING], migrations: { new_sqlite_classes: [] } }, script);
    expect(again.script.classes).toEqual({ SessionDO: { sqlite: true } });
    expect(again.script.createdOn).toBe(script.createdOn);
  });

  it("refuses a binding to a class no migration introduced (code 10061)", () => {
    const error = refusal(() => upload({ bindings: [DO_BINDING] }));
    expect([error.status, error.code]).toEqual([400, 10061]);
    expect(error.message).toMatch(/class 'SessionDO'.*not currently configured/);
  });

  it("refuses to introduce a class that already exists", () => {
    const { script } = first();
    const error = refusal(() =>
      upload({ bindings: [DO_BINDING], migrations: { new_sqlite_classes: ["SessionDO"] } }, script),
    );
    expect(error.message).toMatch(/already depended on/);
  });

  it("refuses to delete a class that is still bound, e.g. after a namespace id changed", () => {
    const { script } = first();
    const error = refusal(() =>
      upload(
        {
          bindings: [DO_BINDING],
          migrations: { deleted_classes: ["SessionDO"], new_sqlite_classes: ["SessionDO"] },
        },
        script,
      ),
    );
    expect([error.code, error.message]).toEqual([
      10061,
      "Cannot apply --delete-class migration to class 'SessionDO' without also removing the binding that references it.",
    ]);
  });

  it("refuses a D1 binding to a database the account does not have", () => {
    expect(refusal(() => upload({ bindings: [{ type: "d1", name: "DB", id: "nope" }] })).message).toMatch(
      /database 'nope' does not exist/,
    );
  });

  it("enforces the migration tag precondition with Cloudflare's 412 wording", () => {
    const { script } = upload({ bindings: [], migrations: { new_tag: "v1", new_classes: ["A"] } });
    const error = refusal(() => upload({ migrations: { old_tag: "v0", new_tag: "v2" } }, script));
    expect([error.status, error.message]).toEqual([412, expect.stringMatching(/when expected tag is 'v1'/)]);
  });

  it("keeps binding types it does not model as opaque bindings, apart from the ones the edge binds", () => {
    const kv = { type: "kv_namespace", name: "CACHE", namespace_id: "ns-1" };
    const r2 = { type: "r2_bucket", name: "FILES", bucket_name: "app-files-x" };
    const queue = { type: "queue", name: "JOBS", queue_name: "app-jobs-x" };
    const { script } = upload({
      bindings: [kv, DO_BINDING, r2, { type: "d1", name: "DB", id: "db-1" }, queue],
      migrations: { new_sqlite_classes: ["SessionDO"] },
    });
    expect(script.opaqueBindings).toEqual([kv, r2, queue]);
    expect(script.bindings.map((b) => b.name)).toEqual(["SESSIONS", "DB"]);
  });

  it("refuses a binding without a type or a name, and names metadata fields it does not model", () => {
    expect(refusal(() => upload({ bindings: [{ name: "KV" }] })).message).toMatch(/needs a type/);
    expect(refusal(() => upload({ bindings: [{ type: "kv_namespace" }] })).message).toMatch(/needs a name/);
    expect(refusal(() => upload({ containers: [] })).message).toMatch(/metadata field\(s\): containers/);
    // Assets are modelled (assets.ts): without a completed upload session they are refused.
    expect(refusal(() => upload({ assets: {} })).message).toMatch(/completion `jwt`/);
  });

  it("requires the main module and a compatibility date", () => {
    expect(refusal(() => upload({ main_module: "missing.js" })).message).toMatch(/main_module/);
    expect(refusal(() => upload({ compatibility_date: "" })).message).toMatch(/compatibility_date/);
  });
});
