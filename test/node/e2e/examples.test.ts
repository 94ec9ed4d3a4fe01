// The README's client examples, run exactly as it says (`npx node examples/<name>.ts`) against the real
// `npm run dev`: `hc<App>` over REST and SessionSocket over a WebSocket, each to a clean exit.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer } from "../helpers/dev-server.ts";

const run = promisify(execFile);

describe("examples/ against npm run dev", () => {
  let server: Awaited<ReturnType<typeof startDevServer>>;

  beforeAll(async () => {
    server = await startDevServer({ stage: "e2e-examples" });
  });

  afterAll(async () => {
    await server?.stop();
  });

  // `npx node` is the project's own Node (the `node` devDependency), whatever Node runs npx itself.
  const example = async (name: string) => {
    const { stdout } = await run("npx", ["node", `examples/${name}.ts`], {
      env: { ...process.env, API: server.url },
      timeout: 50_000,
    });
    return stdout;
  };

  it("rest.ts: signs up, creates a session, posts without an Idempotency-Key and reads back", async () => {
    const out = await example("rest");
    expect(out).toMatch(/^session ses_\S+ Launch party$/m);
    expect(out).toContain("posted 1 Where?\nposted 2 The old library\n");
    expect(out).toContain("read back 1 Where?, 2 The old library next: null");
  });

  it("realtime.ts: receives the message posted over HTTP on its socket", async () => {
    const out = await example("realtime");
    expect(out).toMatch(/^connected to ses_\S+$/m);
    expect(out).toContain("live 1 Hello, live");
    expect(out).not.toContain("ended");
  });
});
