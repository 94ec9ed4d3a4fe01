// Static assets through the double, uploaded by alchemy's own code (worker-assets.ts): the session,
// the JWT-authorised buckets, the completion a script upload must present, and what is refused.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secret } from "alchemy";
import { createCloudflareApi } from "alchemy/cloudflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudflareDouble, startCloudflareDouble } from "./server.ts";

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const TOKEN = "double-assets-token";

type UploadAssets = (
  api: unknown,
  input: { workerName: string; assets: { type: "assets"; path: string }; assetConfig?: Record<string, unknown> },
) => Promise<{ completionToken: string; assetConfig?: Record<string, unknown> }>;

/** alchemy 0.94 is pinned exactly: load the module its Worker resource uploads assets with. */
async function alchemyUploadAssets(): Promise<UploadAssets> {
  const url = new URL("./worker-assets.js", import.meta.resolve("alchemy/cloudflare"));
  return ((await import(url.href)) as { uploadAssets: UploadAssets }).uploadAssets;
}

describe("Workers static assets in the double", () => {
  let double: CloudflareDouble;
  let dir: string;
  const api = (path: string, init: RequestInit = {}, token = TOKEN) =>
    fetch(`${double.baseUrl}/accounts/${ACCOUNT}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });
  const putScript = (name: string, assets: Record<string, unknown> | undefined, bindings: unknown[] = []) => {
    const form = new FormData();
    form.append(
      "index.js",
      new Blob(["export default { fetch: () => new Response('ok') };"], { type: "application/javascript+module" }),
      "index.js",
    );
    const metadata = { main_module: "index.js", compatibility_date: "2026-07-08", bindings, assets };
    form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
    return api(`/workers/scripts/${name}`, { method: "PUT", body: form });
  };
  const cloudflare = () =>
    createCloudflareApi({ baseUrl: double.baseUrl, apiToken: new Secret(TOKEN), accountId: ACCOUNT });

  beforeAll(async () => {
    double = await startCloudflareDouble({ accountId: ACCOUNT, apiToken: TOKEN });
    dir = await mkdtemp(join(tmpdir(), "double-assets-"));
    await mkdir(join(dir, "console"));
    for (let i = 0; i < 12; i += 1) await writeFile(join(dir, "console", `f${i}.js`), `export const n = ${i};`);
    await writeFile(join(dir, "_headers"), "/*\n  X-Content-Type-Options: nosniff\n");
  });
  afterAll(async () => {
    await double?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("takes alchemy's upload (session, buckets, completion) and records the assets on the script", async () => {
    const uploadAssets = await alchemyUploadAssets();
    const config = { run_worker_first: ["/v1/*"], not_found_handling: "none" };
    const first = await uploadAssets(await cloudflare(), {
      workerName: "app-web",
      assets: { type: "assets", path: dir },
      assetConfig: config,
    });
    const res = await putScript("app-web", { jwt: first.completionToken, config: first.assetConfig }, [
      { type: "assets", name: "ASSETS" },
    ]);
    expect(res.status, await res.clone().text()).toBe(200);
    const script = double.account.scripts.get("app-web");
    expect(Object.keys(script?.assets?.manifest ?? {}).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `/console/f${i}.js`).sort(),
    );
    expect(script?.assets?.config).toMatchObject({ ...config, _headers: expect.stringContaining("nosniff") });
    // Two buckets (12 files, 10 per bucket), each authorised by the session's JWT.
    const uploads = double.calls.filter((c) => c.path.endsWith("/workers/assets/upload"));
    expect(uploads.map((c) => c.status)).toEqual(expect.arrayContaining([201]));
    expect(uploads).toHaveLength(2);

    // The same files again: nothing to upload, the session's token is the completion.
    const again = await uploadAssets(await cloudflare(), {
      workerName: "app-web",
      assets: { type: "assets", path: dir },
    });
    expect(double.calls.filter((c) => c.path.endsWith("/workers/assets/upload"))).toHaveLength(2);
    expect((await putScript("app-web", { jwt: again.completionToken })).status).toBe(200);
  });

  it("refuses a bucket authorised by the API token instead of the session's JWT", async () => {
    const session = await api("/workers/scripts/app-x/assets-upload-session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ manifest: { "/a.txt": { hash: "a".repeat(32), size: 1 } } }),
    });
    expect(session.status).toBe(200);
    const form = new FormData();
    form.append("a".repeat(32), new Blob([Buffer.from("x").toString("base64")]), "a".repeat(32));
    const res = await fetch(`${double.baseUrl}/accounts/${ACCOUNT}/workers/assets/upload?base64=true`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: form,
    });
    expect(res.status).toBe(401);
  });

  it("refuses a file whose size is not the manifest's, and a script whose completion token is unknown", async () => {
    const opened = (await (
      await api("/workers/scripts/app-y/assets-upload-session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ manifest: { "/b.txt": { hash: "b".repeat(32), size: 3 } } }),
      })
    ).json()) as { result: { jwt: string } };
    const form = new FormData();
    form.append("b".repeat(32), new Blob([Buffer.from("too long").toString("base64")]), "b".repeat(32));
    const res = await fetch(`${double.baseUrl}/accounts/${ACCOUNT}/workers/assets/upload?base64=true`, {
      method: "POST",
      headers: { authorization: `Bearer ${opened.result.jwt}` },
      body: form,
    });
    expect(res.status).toBe(400);
    expect((await putScript("app-y", { jwt: "made-up" })).status).toBe(400);
    expect((await putScript("app-y", undefined, [{ type: "assets", name: "ASSETS" }])).status).toBe(400);
  });

  it("refuses a malformed manifest", async () => {
    const res = await api("/workers/scripts/app-z/assets-upload-session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ manifest: { "no-slash": { hash: "c".repeat(32), size: 1 } } }),
    });
    expect(res.status).toBe(400);
  });
});
