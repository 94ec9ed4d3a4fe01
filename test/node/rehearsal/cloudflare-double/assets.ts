// Workers static assets in the double: the upload session (a manifest in, the buckets of files it
// lacks out), the bucket uploads authorised by the session's JWT, and the completion token a
// script upload must present. Files are kept by hash per account, as Cloudflare deduplicates them.
import { randomBytes } from "node:crypto";
import { CloudflareError } from "./envelope.ts";

export interface AssetManifest {
  [path: string]: { hash: string; size: number };
}

/** What a script's upload attached: the manifest it was completed with, and its routing config. */
export interface ScriptAssets {
  manifest: AssetManifest;
  config: Record<string, unknown>;
}

interface UploadSession {
  scriptName: string;
  manifest: AssetManifest;
  sizes: Map<string, number>;
  pending: Set<string>;
  completion: string;
}

/** Cloudflare's own limits on one Worker's assets (Workers Free/Paid alike at the time of writing). */
export const MAX_ASSET_FILES = 20_000;
export const MAX_ASSET_BYTES = 25 * 1024 * 1024;
/** Files per bucket: Cloudflare batches by size; a small fixed count exercises the same loop. */
const BUCKET_SIZE = 10;

const invalid = (message: string) => new CloudflareError(400, 10021, message);
const token = () => randomBytes(24).toString("base64url");

export class AssetStore {
  readonly files = new Map<string, Uint8Array>();
  readonly #sessions = new Map<string, UploadSession>();
  /** Completion token → the session it stands for (usable by that script only). */
  readonly #completions = new Map<string, UploadSession>();

  openSession(scriptName: string, body: unknown): { jwt: string; buckets: string[][] } {
    const manifest = parseManifest(body);
    const sizes = new Map(Object.values(manifest).map(({ hash, size }) => [hash, size]));
    const missing = [...sizes.keys()].filter((hash) => !this.files.has(hash));
    const session: UploadSession = { scriptName, manifest, sizes, pending: new Set(missing), completion: token() };
    this.#completions.set(session.completion, session);
    // Nothing to upload: the session's token is the completion token already, as on Cloudflare.
    if (missing.length === 0) return { jwt: session.completion, buckets: [] };
    const jwt = token();
    this.#sessions.set(jwt, session);
    const buckets: string[][] = [];
    for (let i = 0; i < missing.length; i += BUCKET_SIZE) buckets.push(missing.slice(i, i + BUCKET_SIZE));
    return { jwt, buckets };
  }

  /** One bucket: multipart, one part per file named by its hash, base64 when `?base64=true`. */
  async upload(authorization: string | null, base64: boolean, request: Request): Promise<{ jwt?: string }> {
    const jwt = authorization?.replace(/^Bearer /, "") ?? "";
    const session = this.#sessions.get(jwt);
    if (!session) throw new CloudflareError(401, 10001, "Invalid or expired assets upload session token.");
    const form = await request.formData().catch(() => {
      throw invalid("Expected a multipart/form-data assets upload.");
    });
    for (const [hash, part] of form.entries()) {
      if (typeof part === "string") throw invalid(`Part ${hash} is not a file.`);
      if (!session.sizes.has(hash)) throw invalid(`File ${hash} is not in this upload session's manifest.`);
      const raw = new Uint8Array(await part.arrayBuffer());
      const contents = base64 ? new Uint8Array(Buffer.from(new TextDecoder().decode(raw), "base64")) : raw;
      if (contents.byteLength !== session.sizes.get(hash)) {
        throw invalid(`File ${hash} is ${contents.byteLength} bytes; the manifest said ${session.sizes.get(hash)}.`);
      }
      this.files.set(hash, contents);
      session.pending.delete(hash);
    }
    if (session.pending.size > 0) return {};
    this.#sessions.delete(jwt);
    return { jwt: session.completion };
  }

  /** The assets a script upload attaches with `assets.jwt`; refuses a token that is unknown, unfinished or another script's. */
  complete(scriptName: string, completion: string, config: Record<string, unknown>): ScriptAssets {
    const session = this.#completions.get(completion);
    if (!session || session.scriptName !== scriptName) {
      throw invalid("The assets completion token is invalid, expired or for another Worker.");
    }
    if (session.pending.size > 0)
      throw invalid(`${session.pending.size} asset file(s) of this session were never uploaded.`);
    return { manifest: session.manifest, config };
  }
}

function parseManifest(body: unknown): AssetManifest {
  const manifest = (body as { manifest?: unknown } | null)?.manifest;
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    throw invalid("An assets upload session needs a `manifest` object.");
  }
  const entries = Object.entries(manifest);
  if (entries.length > MAX_ASSET_FILES) throw invalid(`At most ${MAX_ASSET_FILES} asset files per Worker.`);
  for (const [path, entry] of entries) {
    const { hash, size } = (entry ?? {}) as { hash?: unknown; size?: unknown };
    if (!path.startsWith("/")) throw invalid(`Asset path "${path}" must start with "/".`);
    if (typeof hash !== "string" || !/^[0-9a-f]{32}$/.test(hash)) throw invalid(`Asset "${path}": bad hash.`);
    if (typeof size !== "number" || !Number.isInteger(size) || size < 0 || size > MAX_ASSET_BYTES) {
      throw invalid(`Asset "${path}": size must be a whole number of bytes up to ${MAX_ASSET_BYTES}.`);
    }
  }
  return manifest as AssetManifest;
}
