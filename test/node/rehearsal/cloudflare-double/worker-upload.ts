// A Worker upload (`PUT …/workers/scripts/:name`): parse the multipart body, then check it the way Cloudflare does.
import {
  type Account,
  type Binding,
  namespaceId,
  type OpaqueBinding,
  type ScriptModule,
  type ScriptRecord,
} from "./account.ts";
import type { ScriptAssets } from "./assets.ts";
import { CloudflareError } from "./envelope.ts";

export interface Migrations {
  old_tag?: string;
  new_tag?: string;
  new_classes?: string[];
  new_sqlite_classes?: string[];
  deleted_classes?: string[];
  renamed_classes?: { from: string; to: string }[];
  transferred_classes?: unknown[];
}

export interface UploadMetadata {
  main_module?: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  bindings?: Record<string, unknown>[];
  tags?: string[];
  migrations?: Migrations;
  assets?: { jwt?: string; keep_assets?: boolean; config?: Record<string, unknown> };
  [setting: string]: unknown;
}

/** Metadata fields the double models; anything else is reported rather than silently ignored. */
const SETTINGS = ["observability", "logpush", "placement", "limits", "tail_consumers", "cache_options"];
const MODELLED = [
  "main_module",
  "compatibility_date",
  "compatibility_flags",
  "bindings",
  "tags",
  "migrations",
  "assets",
];
const MODULE_TYPES = ["application/javascript+module", "text/plain", "application/octet-stream", "application/wasm"];
const SOURCE_MAP = "application/source-map";

const invalid = (message: string) => new CloudflareError(400, 10021, message);

export async function parseUpload(request: Request): Promise<{ metadata: UploadMetadata; modules: ScriptModule[] }> {
  const form = await request.formData().catch(() => {
    throw invalid("Expected a multipart/form-data Worker upload.");
  });
  const metadataPart = form.get("metadata");
  if (metadataPart === null) throw invalid("The upload has no `metadata` part.");
  const metadata = JSON.parse(typeof metadataPart === "string" ? metadataPart : await metadataPart.text());
  const modules: ScriptModule[] = [];
  for (const [name, part] of form.entries()) {
    if (name === "metadata" || typeof part === "string") continue;
    const contentType = part.type.split(";")[0] ?? "";
    if (contentType === SOURCE_MAP) continue;
    if (!MODULE_TYPES.includes(contentType)) throw invalid(`Module "${name}" has unsupported type "${part.type}".`);
    modules.push({ name, contentType, contents: new Uint8Array(await part.arrayBuffer()) });
  }
  return { metadata, modules };
}

export interface UploadPlan {
  script: ScriptRecord;
  /** Classes whose objects a `deleted_classes` migration destroys. */
  deletedClasses: string[];
}

/** Validates an upload against the account and the script's previous version; pure. */
export function planUpload(input: {
  account: Account;
  name: string;
  previous: ScriptRecord | undefined;
  metadata: UploadMetadata;
  modules: ScriptModule[];
  now: string;
}): UploadPlan {
  const { account, name, previous, metadata, modules, now } = input;
  const unknown = Object.keys(metadata).filter((key) => !MODELLED.includes(key) && !SETTINGS.includes(key));
  if (unknown.length > 0)
    throw invalid(`The Cloudflare double does not model metadata field(s): ${unknown.join(", ")}.`);
  const main = metadata.main_module;
  if (!main || !modules.some((m) => m.name === main && m.contentType === "application/javascript+module")) {
    throw invalid(`main_module "${main}" is not an uploaded ES module.`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(metadata.compatibility_date ?? "")) {
    throw invalid("compatibility_date is required (YYYY-MM-DD).");
  }
  const { bindings, opaqueBindings } = checkBindings(account, name, metadata.bindings ?? []);
  const { classes, deletedClasses, tag } = applyMigrations(previous, metadata.migrations, bindings);
  for (const binding of bindings) {
    if (binding.type === "durable_object_namespace" && !classes[binding.class_name]) {
      throw new CloudflareError(
        400,
        10061,
        `Cannot create binding for class '${binding.class_name}' because it is not currently configured to implement Durable Objects. Ensure a --new-class migration has been applied to it.`,
      );
    }
  }
  const assets = attachAssets(account, name, previous, metadata.assets);
  if (bindings.some((b) => b.type === "assets") && !assets) {
    throw invalid("An assets binding needs assets: upload them first (assets-upload-session), or keep_assets.");
  }
  const settings = Object.fromEntries(SETTINGS.filter((key) => key in metadata).map((key) => [key, metadata[key]]));
  const script: ScriptRecord = {
    name,
    mainModule: main,
    modules,
    compatibilityDate: metadata.compatibility_date as string,
    compatibilityFlags: metadata.compatibility_flags ?? [],
    bindings: bindings.map((b) =>
      b.type === "durable_object_namespace" ? { ...b, namespace_id: namespaceId(account, name, b.class_name) } : b,
    ),
    opaqueBindings,
    tags: metadata.tags ?? [],
    classes,
    migrationTag: tag,
    assets,
    settings,
    subdomain: previous?.subdomain ?? { enabled: false, previews_enabled: false },
    createdOn: previous?.createdOn ?? now,
    modifiedOn: now,
    etag: `${name}-${now}`,
  };
  return { script, deletedClasses };
}

/**
 * Splits the upload's bindings into the types the double checks and the edge binds (`checkBinding`) and the rest.
 * Any other type (a fork's KV namespace, R2 bucket, queue…) is accepted as an opaque binding, so adding one to the
 * infra does not fail the rehearsal: recorded as uploaded, echoed by /settings, not bound in the running Worker.
 * To model one: add its shape to `Binding` (account.ts), check it in `checkBinding` the way Cloudflare does (e.g. the
 * namespace exists on the account, which needs the resource's own API routes beside d1-routes.ts), and bind it in
 * `workerOptions` (worker-options.ts) with Miniflare's option for it (`kvNamespaces`, `r2Buckets`,
 * `queueProducers`…). docs/testing.md has the checklist.
 */
function checkBindings(
  account: Account,
  scriptName: string,
  raw: unknown,
): { bindings: Binding[]; opaqueBindings: OpaqueBinding[] } {
  if (!Array.isArray(raw)) throw invalid("`bindings` must be an array.");
  const bindings: Binding[] = [];
  const opaqueBindings: OpaqueBinding[] = [];
  for (const binding of raw as unknown[]) {
    if (typeof binding !== "object" || binding === null) throw invalid("Every binding must be an object.");
    const { type, name } = binding as Record<string, unknown>;
    if (typeof type !== "string" || !type) throw invalid("Every binding needs a type.");
    if (typeof name !== "string" || !name) throw invalid("Every binding needs a name.");
    const modelled = checkBinding(account, scriptName, name, binding as Record<string, unknown>);
    if (modelled) bindings.push(modelled);
    else opaqueBindings.push({ ...binding, type, name });
  }
  return { bindings, opaqueBindings };
}

/** A binding of a type the double models, checked; undefined for any other type (kept opaque by the caller). */
function checkBinding(
  account: Account,
  scriptName: string,
  name: string,
  raw: Record<string, unknown>,
): Binding | undefined {
  switch (raw.type) {
    case "plain_text":
    case "secret_text":
      if (typeof raw.text !== "string") throw invalid(`Binding ${name}: text must be a string.`);
      return { type: raw.type, name, text: raw.text };
    case "json":
      return { type: "json", name, json: raw.json };
    case "d1":
      if (!account.databases.has(String(raw.id))) {
        throw invalid(`Binding ${name}: D1 database '${raw.id}' does not exist on this account.`);
      }
      return { type: "d1", name, id: String(raw.id) };
    case "assets":
      return { type: "assets", name };
    case "durable_object_namespace":
      if (raw.script_name !== undefined && raw.script_name !== scriptName) {
        throw invalid(`Binding ${name}: the Cloudflare double does not model cross-script Durable Object bindings.`);
      }
      return { type: "durable_object_namespace", name, class_name: String(raw.class_name) };
    default:
      return undefined;
  }
}

function attachAssets(
  account: Account,
  name: string,
  previous: ScriptRecord | undefined,
  assets: UploadMetadata["assets"],
): ScriptAssets | undefined {
  if (!assets) return undefined;
  const config = assets.config ?? {};
  if (assets.jwt) return account.assets.complete(name, assets.jwt, config);
  if (assets.keep_assets && previous?.assets) return { ...previous.assets, config };
  throw invalid(
    "`assets` needs the completion `jwt` of an upload session, or keep_assets on a Worker that has assets.",
  );
}

function applyMigrations(previous: ScriptRecord | undefined, migrations: Migrations | undefined, bindings: Binding[]) {
  const classes = { ...(previous?.classes ?? {}) };
  const current = previous?.migrationTag;
  if (!migrations) return { classes, deletedClasses: [], tag: current };
  if (migrations.old_tag !== undefined && migrations.old_tag !== current) {
    throw new CloudflareError(
      412,
      10079,
      `Migration tag precondition failed: old_tag '${migrations.old_tag}' given when expected tag is '${current ?? ""}'.`,
    );
  }
  if (migrations.transferred_classes?.length)
    throw invalid("The Cloudflare double does not model transferred_classes.");
  const bound = new Set(bindings.flatMap((b) => (b.type === "durable_object_namespace" ? [b.class_name] : [])));
  const deletedClasses = migrations.deleted_classes ?? [];
  for (const name of deletedClasses) {
    if (!classes[name]) throw invalid(`Cannot apply --delete-class migration to class '${name}': no such class.`);
    if (bound.has(name)) {
      throw new CloudflareError(
        400,
        10061,
        `Cannot apply --delete-class migration to class '${name}' without also removing the binding that references it.`,
      );
    }
    delete classes[name];
  }
  for (const { from, to } of migrations.renamed_classes ?? []) {
    const source = classes[from];
    if (!source || classes[to]) throw invalid(`Cannot rename class '${from}' to '${to}'.`);
    delete classes[from];
    classes[to] = source;
  }
  const introduce = (names: string[] | undefined, sqlite: boolean) => {
    for (const name of names ?? []) {
      if (classes[name]) {
        throw new CloudflareError(
          400,
          10074,
          `Cannot apply --new-class migration to class '${name}' that is already depended on by existing Durable Objects.`,
        );
      }
      classes[name] = { sqlite };
    }
  };
  introduce(migrations.new_classes, false);
  introduce(migrations.new_sqlite_classes, true);
  return { classes, deletedClasses, tag: migrations.new_tag ?? current };
}
