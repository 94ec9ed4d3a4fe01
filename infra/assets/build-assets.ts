// The Worker's static assets (alchemy `Assets`): the browser console, bundled with esbuild, and the
// pinned Swagger UI files /docs loads. Built into one directory on every dev, deploy and browser test.
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { zodEnglishOnly } from "../core/bundle.ts";
import { ASSET_HEADERS } from "./asset-headers.ts";

/** Where `npm run dev` and the deploy build the assets (gitignored; rebuilt from scratch each time). */
export const ASSETS_DIR = "dist/assets";

/** The console's JavaScript + CSS after gzip may not exceed this (about 66 KiB today, 3/4 of it zod, which the frame parser uses). */
export const CONSOLE_GZIP_BUDGET = 80 * 1024;

/**
 * The Worker's own paths: deployed, they run the Worker first (`run_worker_first`); in local dev
 * alchemy 0.94 does not pass that setting on, so the build also refuses an asset that would shadow one.
 */
export const WORKER_PATHS = ["/", "/v1/*", "/health", "/openapi.json", "/docs"];

/** Asset files (as `/path` names) that would answer one of WORKER_PATHS before the Worker could. */
export function shadowedWorkerPaths(files: readonly string[], workerPaths: readonly string[] = WORKER_PATHS): string[] {
  return files.filter((file) =>
    workerPaths.some((path) => {
      if (path.endsWith("/*")) return file.startsWith(path.slice(0, -1));
      const base = path === "/" ? "" : path;
      // html_handling "auto-trailing-slash" serves /x from /x, /x.html and /x/index.html.
      return [path, `${base}.html`, `${base}/index.html`].includes(file);
    }),
  );
}

export interface AssetSize {
  rawBytes: number;
  gzipBytes: number;
}

export interface BuiltAssets {
  dir: string;
  /** The console's script and stylesheet together: what a first visit downloads besides the page. */
  console: AssetSize;
}

const SWAGGER_FILES = ["swagger-ui-bundle.js", "swagger-ui.css"];

export async function buildStaticAssets(options: { outDir?: string; budget?: number } = {}): Promise<BuiltAssets> {
  const dir = resolve(options.outDir ?? ASSETS_DIR);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "docs", "assets"), { recursive: true });

  const result = await build({
    entryPoints: { "console/app": "web/console/main.tsx" },
    outdir: dir,
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    jsx: "automatic",
    jsxImportSource: "preact",
    plugins: [zodEnglishOnly],
    // Runs before any module of the app, so no zod schema is ever compiled with eval.
    inject: ["web/console/no-eval.ts"],
    metafile: true,
    logLevel: "warning",
  });
  await copyFile("web/console/icon.svg", join(dir, "console", "icon.svg"));

  const swaggerDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  for (const file of SWAGGER_FILES) await copyFile(join(swaggerDir, file), join(dir, "docs", "assets", file));
  await copyFile("web/docs/start.js", join(dir, "docs", "assets", "start.js"));
  // Deployed only: alchemy 0.94's local dev does not pass `_headers` to Miniflare (docs/console.md).
  await writeFile(join(dir, "_headers"), ASSET_HEADERS);

  const shadowing = shadowedWorkerPaths(await listFiles(dir));
  if (shadowing.length > 0) throw new Error(`These assets would shadow the Worker's routes: ${shadowing.join(", ")}.`);

  let rawBytes = 0;
  let gzipBytes = 0;
  for (const output of Object.keys(result.metafile.outputs)) {
    const content = await readFile(output);
    rawBytes += content.byteLength;
    gzipBytes += gzipSync(content).byteLength;
  }
  const budget = options.budget ?? CONSOLE_GZIP_BUDGET;
  if (gzipBytes > budget) {
    throw new Error(
      `The console is ${kib(gzipBytes)} gzipped, over its budget of ${kib(budget)} (infra/assets/build-assets.ts).`,
    );
  }
  return { dir, console: { rawBytes, gzipBytes } };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => `/${relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/")}`);
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
