// Bundles a Worker entry exactly the way alchemy 0.94 does for deploy and dev (its own bundler
// code, same options), and measures the module the Worker ships: raw and gzip bytes.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { WORKER_BUNDLE } from "../../infra/core/bundle.ts";
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from "../../infra/core/runtime.ts";

/** The module list alchemy's bundler returns (the part we use). */
interface AlchemyBundle {
  entrypoint: string;
  root: string;
  modules: { path: string; type: string }[];
}

interface AlchemyBundleSource {
  create(): Promise<AlchemyBundle>;
}

interface AlchemyResult<T> {
  isErr(): boolean;
  value: T;
  error: unknown;
}

type NormalizeWorkerBundle = (props: Record<string, unknown>) => AlchemyResult<AlchemyBundleSource>;

export interface BuiltBundle {
  /** Directory holding the modules (what Miniflare loads). */
  dir: string;
  /** Absolute path of the entry module. */
  entry: string;
  /** JavaScript modules only: source maps are uploaded but are not part of the Worker's size. */
  rawBytes: number;
  gzipBytes: number;
  buildMs: number;
}

/**
 * alchemy's bundler is not a public export, but 0.94 is pinned exactly: load the module the
 * `Worker` resource itself uses, so the benchmark measures the bundle that is deployed.
 */
async function alchemyBundler(): Promise<NormalizeWorkerBundle> {
  const url = new URL("./worker-bundle.js", import.meta.resolve("alchemy/cloudflare"));
  const mod = (await import(url.href)) as { normalizeWorkerBundle: NormalizeWorkerBundle };
  return mod.normalizeWorkerBundle;
}

export interface BundleOptions {
  entrypoint: string;
  outdir: string;
  /** The Worker resource's `bundle` props; the deploy's own (`infra/core/bundle.ts`) unless a test says otherwise. */
  bundle?: Record<string, unknown>;
}

export async function buildWorkerBundle(options: BundleOptions): Promise<BuiltBundle> {
  const started = performance.now();
  const normalize = await alchemyBundler();
  const source = normalize({
    id: "bench",
    entrypoint: options.entrypoint,
    cwd: process.cwd(),
    outdir: options.outdir,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    bundle: options.bundle ?? WORKER_BUNDLE,
  });
  if (source.isErr()) throw new Error(`alchemy refused the bundle options: ${String(source.error)}`);
  const bundle = await source.value.create();
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const module of bundle.modules) {
    if (module.type === "sourcemap") continue;
    const content = await readFile(join(bundle.root, module.path));
    rawBytes += content.byteLength;
    gzipBytes += gzipSync(content).byteLength;
  }
  return {
    dir: bundle.root,
    entry: resolve(bundle.root, bundle.entrypoint),
    rawBytes,
    gzipBytes,
    buildMs: performance.now() - started,
  };
}
