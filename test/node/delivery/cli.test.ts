// The npm scripts end to end, as a workflow runs them: real alchemy state (filesystem store) and an
// HTTP stand-in for the Cloudflare API reached through CLOUDFLARE_BASE_URL.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_NAME } from "../../../infra/core/runtime.ts";
import { previewStage } from "../../../infra/core/stage.ts";
import { ACCOUNT, cloudflareRoutes } from "./fake-api.ts";

const account = { workers: [] as string[], databases: [] as string[] };
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const routes: Record<string, () => unknown> = cloudflareRoutes(account);
    const route = routes[`${request.method} ${url.pathname}`];
    const page = Number(url.searchParams.get("page") ?? "1");
    response.setHeader("content-type", "application/json");
    if (!route) {
      response.statusCode = 404;
      response.end(JSON.stringify({ success: false, errors: [{ message: "no route" }], result: null }));
      return;
    }
    const body = route() as { result: unknown[] };
    response.end(JSON.stringify(page > 1 ? { ...body, result: [] } : body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The machine's environment minus anything GitHub Actions sets, plus what the test says. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(GITHUB_|STAGE|ALCHEMY_|CLOUDFLARE_|RUNNER_)/.test(key)),
  );
  return { ...env, ...extra };
}

function npmRun(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("npm", ["run", "--silent", ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Every module infra/delivery/cli.ts loads, following relative imports. */
function importGraph(entry: string, seen = new Set<string>()): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const specifiers = [...readFileSync(file, "utf8").matchAll(/^(?:import|export)[^;]*?from "([^"]+)"/gms)].map(
      (m) => m[1] as string,
    );
    graph.set(file, specifiers);
    for (const s of specifiers) if (s.startsWith(".")) visit(join(dirname(file), s));
  };
  visit(entry);
  return graph;
}

/** The one module per vendor that may load its official client; nothing else the CLI loads imports a package. */
const VENDOR_MODULES: Record<string, string> = {
  "infra/vendors/cloudflare-api.ts": "cloudflare",
  "infra/vendors/github-api.ts": "@octokit/rest",
  "infra/vendors/github-outputs.ts": "@actions/core",
};

describe("infra/delivery/cli.ts", () => {
  it("reaches Cloudflare and GitHub only through their official clients, each loaded by one thin module", () => {
    const graph = importGraph("infra/delivery/cli.ts");
    expect(graph.size).toBeGreaterThan(5);
    for (const [file, specifiers] of graph) {
      const allowed = VENDOR_MODULES[file];
      for (const specifier of specifiers) {
        if (specifier !== allowed) expect(specifier, file).toMatch(/^(node:|\.\.?\/)/);
      }
    }
    for (const file of Object.keys(VENDOR_MODULES)) expect(graph.get(file), file).toContain(VENDOR_MODULES[file]);
  });

  it("keeps the vendor clients out of the Worker: exact-pinned devDependencies that nothing under src/ imports", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const name of Object.values(VENDOR_MODULES)) {
      expect(pkg.devDependencies[name], name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(pkg.dependencies[name], name).toBeUndefined();
    }
    const sources = readdirSync("src", { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f));
    expect(sources.length).toBeGreaterThan(10);
    for (const file of sources) {
      const text = readFileSync(join("src", file), "utf8");
      for (const name of Object.values(VENDOR_MODULES)) {
        expect(text, file).not.toContain(`from "${name}"`);
        expect(text, file).not.toContain(`from "${name}/`);
      }
    }
  });
});

describe("npm run stage", () => {
  it("prints the deleted branch's stage on the project's Node", async () => {
    const env = cleanEnv({
      GITHUB_ACTIONS: "true",
      GITHUB_REF_NAME: "main",
      STAGE_BRANCH: "feature/Gone",
      DEFAULT_BRANCH: "main",
    });
    const stdout = `${previewStage("feature/Gone")}\n`;
    expect(await npmRun(["stage", "--", "--preview"], env)).toMatchObject({ code: 0, stdout });
  });
});

describe("npm run verify:destroyed", () => {
  const stage = `verify-${randomBytes(3).toString("hex")}`;
  const root = mkdtempSync(join(tmpdir(), "verify-destroyed-"));
  const stateDir = join(root, ".alchemy", APP_NAME, stage);
  const env = () =>
    cleanEnv({
      ALCHEMY_ROOT: root,
      ALCHEMY_STATE_STORE: "filesystem",
      CLOUDFLARE_API_TOKEN: "test-token",
      CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
      CLOUDFLARE_BASE_URL: baseUrl,
    });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("fails naming what alchemy's state and Cloudflare still hold", async () => {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(join(stateDir, "worker.json"), "{}");
    account.workers = [`${APP_NAME}-worker-${stage}`];
    account.databases = [`${APP_NAME}-db-${stage}`];
    const result = await npmRun(["verify:destroyed", "--", "--stage", stage], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Stage ${stage} was NOT fully destroyed`);
    expect(result.stderr).toContain(`in alchemy's state: ${APP_NAME}/${stage}/worker`);
    expect(result.stderr).toContain(`on Cloudflare: Worker ${APP_NAME}-worker-${stage}`);
    expect(result.stderr).toContain(`on Cloudflare: D1 database ${APP_NAME}-db-${stage}`);
  });

  it("passes once both are empty", async () => {
    rmSync(stateDir, { recursive: true, force: true });
    account.workers = [`${APP_NAME}-worker-prod`];
    account.databases = [];
    const result = await npmRun(["verify:destroyed", "--", "--stage", stage], env());
    expect(result.stderr).toContain(`Stage ${stage} is gone`);
    expect(result.code).toBe(0);
  });
});
