// The double at its HTTP surface: loud about unknown calls, strict about credentials, real about D1 and Workers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_HOST_HEADER } from "./gateway.ts";
import { type CloudflareDouble, startCloudflareDouble } from "./server.ts";

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const TOKEN = "double-test-token";

const WORKER = `import { DurableObject } from "cloudflare:workers";
export class Counter extends DurableObject {
  fetch() {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hits (n)");
    this.ctx.storage.sql.exec("INSERT INTO hits VALUES (1)");
    return new Response(String(this.ctx.storage.sql.exec("SELECT count(*) AS c FROM hits").one().c));
  }
}
export default { fetch: (req, env) => env.COUNTER.get(env.COUNTER.idFromName("one")).fetch(req) };`;

describe("Cloudflare API double", () => {
  let double: CloudflareDouble;
  const api = (path: string, init: RequestInit = {}, token = TOKEN) =>
    fetch(`${double.baseUrl}/accounts/${ACCOUNT}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });
  const json = (body: unknown): RequestInit => ({
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  const upload = (name: string, source: string, migrations: Record<string, unknown>) => {
    const form = new FormData();
    form.append("index.js", new Blob([source], { type: "application/javascript+module" }), "index.js");
    const metadata = {
      main_module: "index.js",
      compatibility_date: "2026-07-08",
      bindings: [{ type: "durable_object_namespace", name: "COUNTER", class_name: "Counter" }],
      migrations,
    };
    form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
    return api(`/workers/scripts/${name}`, { method: "PUT", body: form });
  };
  const viaWorkersDev = (name: string) =>
    fetch(`${double.gatewayUrl}/`, { headers: { [GATEWAY_HOST_HEADER]: `${name}.rehearsal.workers.dev` } });

  beforeAll(async () => {
    double = await startCloudflareDouble({ accountId: ACCOUNT, apiToken: TOKEN });
  });
  afterAll(async () => {
    await double?.stop();
  });

  it("fails a call it does not know, naming method and path, and records it", async () => {
    const before = double.unknownCalls().length;
    const res = await api("/workers/scripts/x/schedules", { method: "PUT", body: "[]" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { code: number; message: string }[] };
    expect(body.errors[0]?.code).toBe(7000);
    expect(body.errors[0]?.message).toContain(`PUT /accounts/${ACCOUNT}/workers/scripts/x/schedules`);
    expect(double.unknownCalls().slice(before)).toEqual([
      { method: "PUT", path: `/accounts/${ACCOUNT}/workers/scripts/x/schedules`, route: undefined, status: 400 },
    ]);
  });

  it("refuses another token", async () => {
    expect((await api("/workers/subdomain", {}, "someone-else")).status).toBe(403);
  });

  it("runs D1 queries for real: one result per statement, SQLite's errors as Cloudflare reports them", async () => {
    const created = (await (await api("/d1/database", json({ name: "double-test-db" }))).json()) as {
      result: { uuid: string };
    };
    const query = (sql: string) => api(`/d1/database/${created.result.uuid}/query`, json({ sql }));
    const ok = (await (
      await query("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('a;b'); SELECT v FROM t;")
    ).json()) as {
      result: { results: unknown[] }[];
    };
    expect(ok.result.map((r) => r.results)).toEqual([[], [], [{ v: "a;b" }]]);
    const bad = await query("SELECT * FROM missing");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/no such table: missing/);
  });

  it("serves an uploaded Worker with its SQLite Durable Object only once its workers.dev subdomain is on", async () => {
    expect((await upload("counter", WORKER, { new_sqlite_classes: ["Counter"] })).status).toBe(200);
    expect((await viaWorkersDev("counter")).status).toBe(404);
    await api("/workers/scripts/counter/subdomain", json({ enabled: true, previews_enabled: false }));
    expect(await (await viaWorkersDev("counter")).text()).toBe("1");
    expect(await (await viaWorkersDev("counter")).text()).toBe("2");
  });

  it("refuses a Worker that does not export its bound Durable Object class, and keeps the last good one serving", async () => {
    const broken = WORKER.replace("export class Counter", "class Counter");
    const res = await upload("counter", broken, {});
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/Counter/);
    expect(await (await viaWorkersDev("counter")).text()).toBe("3");
  });

  it("accepts deleted_classes once nothing binds the class, and deletes every object of it", async () => {
    const unbound = async (migrations: Record<string, unknown>) => {
      const form = new FormData();
      form.append("index.js", new Blob([WORKER], { type: "application/javascript+module" }), "index.js");
      const metadata = { main_module: "index.js", compatibility_date: "2026-07-08", bindings: [], migrations };
      form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
      return api("/workers/scripts/counter", { method: "PUT", body: form });
    };
    expect((await unbound({ deleted_classes: ["Counter"] })).status).toBe(200);
    expect(double.account.scripts.get("counter")?.classes).toEqual({});
    expect((await upload("counter", WORKER, { new_sqlite_classes: ["Counter"] })).status).toBe(200);
    // The counter starts again: the class's objects went with the class.
    expect(await (await viaWorkersDev("counter")).text()).toBe("1");
  });

  it("fails the calls an injected fault matches until it is healed", async () => {
    const heal = double.injectFault({ method: "DELETE", path: /\/workers\/scripts\/counter$/ });
    expect((await api("/workers/scripts/counter", { method: "DELETE" })).status).toBe(400);
    heal();
    expect((await api("/workers/scripts/counter", { method: "DELETE" })).status).toBe(200);
    expect(double.account.scripts.has("counter")).toBe(false);
    expect((await viaWorkersDev("counter")).status).toBe(404);
  });

  it("models an account that never opened Workers: no workers.dev subdomain (10063) until one is registered", async () => {
    const fresh = await startCloudflareDouble({ accountId: ACCOUNT, apiToken: TOKEN, subdomain: null });
    try {
      const call = (init: RequestInit = {}) =>
        fetch(`${fresh.baseUrl}/accounts/${ACCOUNT}/workers/subdomain`, {
          ...init,
          headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        });
      const missing = await call();
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { errors: { code: number }[] }).errors[0]?.code).toBe(10063);
      expect((await call({ method: "PUT", body: JSON.stringify({ subdomain: "Not A Label" }) })).status).toBe(400);
      expect((await call({ method: "PUT", body: JSON.stringify({ subdomain: "acme-team" }) })).status).toBe(200);
      expect(((await (await call()).json()) as { result: unknown }).result).toEqual({ subdomain: "acme-team" });
    } finally {
      await fresh.stop();
    }
  });
});
