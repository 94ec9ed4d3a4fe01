// The real thing: `npm run dev` serves /health on a machine with no Cloudflare account, then stops cleanly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processGroupMembers, startDevServer } from "../helpers/dev-server.ts";

describe("npm run dev", () => {
  let server: Awaited<ReturnType<typeof startDevServer>>;

  beforeAll(async () => {
    server = await startDevServer({ stage: "e2e-smoke" });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("serves /health for the requested stage", async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { version: unknown };
    expect(body).toMatchObject({ ok: true, stage: "e2e-smoke" });
    expect(typeof body.version).toBe("string");
  });

  it("leaves no process behind, workerd included", async () => {
    expect(processGroupMembers(server.pgid).length).toBeGreaterThan(0);
    await server.stop();
    expect(processGroupMembers(server.pgid)).toEqual([]);
  });
});
