// The static assets build (infra/assets): every file the Worker's pages reference is in it, the
// console stays within its budget, nothing shadows a Worker route, and local dev routes misses to the Worker.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStaticAssets, CONSOLE_GZIP_BUDGET, shadowedWorkerPaths } from "../../../infra/assets/index.ts";
import { withWorkerBehindAssets } from "../../../infra/dev/assets-routing.ts";
import { CONSOLE_HTML } from "../../../src/console/console-page.ts";
import { DOCS_HTML } from "../../../src/docs/docs-page.ts";

const references = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1] as string);

describe("buildStaticAssets", () => {
  let root: string;
  let built: Awaited<ReturnType<typeof buildStaticAssets>>;
  const file = (path: string) => readFile(join(built.dir, path), "utf8");

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "assets-"));
    built = await buildStaticAssets({ outDir: join(root, "assets") });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("holds every file the console page and the docs page reference", async () => {
    const all = [...references(CONSOLE_HTML), ...references(DOCS_HTML)];
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const path of all) expect((await stat(join(built.dir, path))).isFile(), path).toBe(true);
  });

  it("ships the pinned Swagger UI and a start script that reads the page, not the network", async () => {
    const bundle = await file("docs/assets/swagger-ui-bundle.js");
    expect(bundle).toContain("SwaggerUIBundle");
    expect(bundle.length).toBeGreaterThan(500_000);
    const start = await file("docs/assets/start.js");
    expect(start).toContain("data-spec-url");
    expect(start).toContain("validatorUrl: null");
    expect(start).not.toMatch(/https?:/);
  });

  it("bundles the console small, with zod set to never use eval", async () => {
    expect(built.console.gzipBytes).toBeGreaterThan(5_000);
    expect(built.console.gzipBytes).toBeLessThanOrEqual(CONSOLE_GZIP_BUDGET);
    const app = await file("console/app.js");
    // The injected module runs first: its config call precedes every schema.
    expect(app.indexOf("jitless")).toBeGreaterThan(-1);
  });

  it("sends the security headers with the assets Cloudflare serves", async () => {
    expect(await file("_headers")).toMatch(/X-Content-Type-Options: nosniff/);
  });

  it("refuses a console over its gzip budget", async () => {
    await expect(buildStaticAssets({ outDir: join(root, "over"), budget: 1_000 })).rejects.toThrow(/over its budget/);
  });
});

describe("shadowedWorkerPaths", () => {
  it("finds files that would answer one of the Worker's paths before it", () => {
    expect(
      shadowedWorkerPaths(["/index.html", "/v1/me", "/docs.html", "/docs/index.html", "/health", "/openapi.json"]),
    ).toEqual(["/index.html", "/v1/me", "/docs.html", "/docs/index.html", "/health", "/openapi.json"]);
  });

  it("lets the console's and the docs' own files through", () => {
    expect(shadowedWorkerPaths(["/console/app.js", "/docs/assets/start.js", "/console/index.html", "/v1x"])).toEqual(
      [],
    );
  });
});

describe("withWorkerBehindAssets", () => {
  it("tells Miniflare's assets router there is a Worker behind it, unless already configured", () => {
    const options = withWorkerBehindAssets({
      workers: [
        { name: "api", assets: { directory: "d" } },
        { name: "other", assets: { directory: "e", routerConfig: { has_user_worker: false } } },
        { name: "plain" },
      ],
    });
    expect(options.workers.map((w) => w.assets?.routerConfig)).toEqual([
      { has_user_worker: true },
      { has_user_worker: false },
      undefined,
    ]);
  });
});
