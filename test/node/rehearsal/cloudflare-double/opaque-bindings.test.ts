// A fork's first new binding (KV, R2, a queue) passes the double: accepted, served back by /settings, Worker running.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_HOST_HEADER } from "./gateway.ts";
import { type CloudflareDouble, startCloudflareDouble } from "./server.ts";

const ACCOUNT = "fedcba9876543210fedcba9876543210";
const TOKEN = "opaque-bindings-token";
const WORKER = `export default { fetch: (req, env) => new Response(typeof env.CACHE + " " + env.GREETING) };`;

/** Bindings of types the double does not model, shaped as alchemy and wrangler upload them. */
const OPAQUE = [
  { type: "kv_namespace", name: "CACHE", namespace_id: "0f2ac74b498b48028cb68387c421e279" },
  { type: "r2_bucket", name: "FILES", bucket_name: "app-files-x", jurisdiction: "eu" },
  { type: "queue", name: "JOBS", queue_name: "app-jobs-x" },
];

describe("bindings the Cloudflare double does not model", () => {
  let double: CloudflareDouble;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${double.baseUrl}/accounts/${ACCOUNT}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers as Record<string, string>) },
    });
  const upload = (name: string, bindings: unknown[]) => {
    const form = new FormData();
    form.append("index.js", new Blob([WORKER], { type: "application/javascript+module" }), "index.js");
    const metadata = { main_module: "index.js", compatibility_date: "2026-07-08", bindings };
    form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
    return api(`/workers/scripts/${name}`, { method: "PUT", body: form });
  };
  const settings = async (name: string) =>
    ((await (await api(`/workers/scripts/${name}/settings`)).json()) as { result: { bindings: unknown[] } }).result;

  beforeAll(async () => {
    double = await startCloudflareDouble({ accountId: ACCOUNT, apiToken: TOKEN });
  });
  afterAll(async () => {
    await double?.stop();
  });

  it("accepts them, serves them back unchanged beside the modelled ones, and runs the Worker", async () => {
    const greeting = { type: "plain_text", name: "GREETING", text: "hello" };
    const secret = { type: "secret_text", name: "TOKEN", text: "not echoed" };
    const res = await upload("opaque-x", [OPAQUE[0], greeting, ...OPAQUE.slice(1), secret]);
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await settings("opaque-x")).bindings).toEqual([
      greeting,
      { type: "secret_text", name: "TOKEN" },
      ...OPAQUE,
    ]);
    await api("/workers/scripts/opaque-x/subdomain", {
      method: "POST",
      body: JSON.stringify({ enabled: true }),
      headers: { "content-type": "application/json" },
    });
    const served = await fetch(`${double.gatewayUrl}/`, {
      headers: { [GATEWAY_HOST_HEADER]: "opaque-x.rehearsal.workers.dev" },
    });
    // Recorded, not bound: the running Worker does not see them (worker-upload.ts says how to model one).
    expect(await served.text()).toBe("undefined hello");
  });

  it("takes each upload's list as the whole list, like Cloudflare: a binding left out is gone", async () => {
    expect((await upload("opaque-y", OPAQUE)).status).toBe(200);
    expect((await upload("opaque-y", [OPAQUE[1]])).status).toBe(200);
    expect((await settings("opaque-y")).bindings).toEqual([OPAQUE[1]]);
  });

  it("still refuses a binding without a name, whatever its type", async () => {
    const res = await upload("opaque-z", [{ type: "kv_namespace", namespace_id: "x" }]);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/needs a name/);
  });
});
