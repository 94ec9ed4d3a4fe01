// The rehearsal's Cloudflare double as Cloudflare's SDK reads it: every call the delivery code makes goes through the
// project's client (the official SDK) to the double, which must know the path, query and paging the SDK sends. The
// answers' shapes are checked by the compiler (cloudflare-double/sdk-types.ts); this checks what the SDK concludes.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudflareD1 } from "../../../infra/d1-migrations/d1-http.ts";
import { cloudflareChecks } from "../../../infra/delivery/setup-cloudflare.ts";
import {
  CloudflareApiError,
  cloudflareClientFromEnv,
  listDatabases,
  loadInventory,
  readWorkerSettings,
} from "../../../infra/vendors/cloudflare-api.ts";
import { ensureWorkersDevSubdomain, readWorkersDevSubdomain } from "../../../infra/workers-subdomain.ts";
import { type CloudflareDouble, startCloudflareDouble } from "../rehearsal/cloudflare-double/index.ts";

const ACCOUNT = randomBytes(16).toString("hex");
const TOKEN = "vendor-contract-token";

describe("the Cloudflare double, through Cloudflare's SDK", () => {
  let double: CloudflareDouble;
  const env = () => ({
    CLOUDFLARE_API_TOKEN: TOKEN,
    CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
    CLOUDFLARE_BASE_URL: double.baseUrl,
  });
  const client = () => cloudflareClientFromEnv(env());

  beforeAll(async () => {
    double = await startCloudflareDouble({ accountId: ACCOUNT, apiToken: TOKEN, subdomain: null });
  });
  afterAll(() => double?.stop());

  it("reads a missing workers.dev subdomain as Cloudflare's refusal, then registers one", async () => {
    expect(await readWorkersDevSubdomain(client())).toBeUndefined();
    expect(await ensureWorkersDevSubdomain(client(), { WORKERS_DEV_SUBDOMAIN: "contract" }, () => {})).toBe("contract");
    expect(await readWorkersDevSubdomain(client())).toBe("contract");
  });

  it("lists D1 databases page by page until an empty page, and runs D1 queries and Time Travel", async () => {
    const names = ["contract-a", "contract-b"];
    for (const name of names) {
      const created = await fetch(`${double.baseUrl}/accounts/${ACCOUNT}/d1/database`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ name }),
      });
      expect(created.status).toBe(200);
    }
    const databases = await listDatabases(client());
    expect(databases.map((database) => database.name).sort()).toEqual(names);
    const pages = double.calls.filter((call) => call.method === "GET" && call.route?.endsWith("/d1/database"));
    expect(pages.length).toBeGreaterThanOrEqual(2); // the page with both, then the empty one that ends the listing

    const d1 = cloudflareD1(databases[0]?.uuid as string, client());
    expect(await d1.query("SELECT 1 AS one; SELECT 2 AS two")).toEqual([[{ one: 1 }], [{ two: 2 }]]);
    expect(await d1.bookmark()).toMatch(/\S/);
  });

  it("turns Cloudflare's error envelope into the project's error, status and codes kept", async () => {
    const missing = readWorkerSettings(client(), "no-such-worker");
    await expect(missing).rejects.toBeInstanceOf(CloudflareApiError);
    await expect(missing).rejects.toMatchObject({ status: 404, codes: [10007] });
    await expect(missing).rejects.not.toThrow(TOKEN);
  });

  it("takes the inventory and the setup checks (token verify, listings, subdomain) from the double", async () => {
    expect(await loadInventory(env())).toEqual({
      workers: [],
      databases: expect.arrayContaining(["contract-a", "contract-b"]),
      durableObjectNamespaces: [],
    });
    const checks = await cloudflareChecks({
      client: client(),
      env: {},
      plan: "paid",
      wantedPreviews: 1,
      now: new Date(),
    });
    expect(checks.map((check) => [check.title, check.verdict])).toEqual([
      ["Cloudflare token", "ok"],
      ["Workers Scripts permission", "ok"],
      ["D1 permission", "ok"],
      ["workers.dev subdomain", "ok"],
      ["Room for previews", "ok"],
    ]);
  });

  it("knew every call the SDK made", () => {
    expect(double.calls.length).toBeGreaterThan(10);
    expect(double.unknownCalls()).toEqual([]);
  });
});
