// What one Cloudflare account holds in the double: D1 databases and Worker scripts, by their API identities.
import { createHash } from "node:crypto";
import { AssetStore, type ScriptAssets } from "./assets.ts";
import { CloudflareError } from "./envelope.ts";

export interface D1Record {
  uuid: string;
  name: string;
  createdAt: string;
}

export type Binding =
  | { type: "plain_text"; name: string; text: string }
  | { type: "secret_text"; name: string; text: string }
  | { type: "json"; name: string; json: unknown }
  | { type: "d1"; name: string; id: string }
  | { type: "durable_object_namespace"; name: string; class_name: string; namespace_id?: string }
  | { type: "assets"; name: string };

/**
 * A binding of a type the double does not model (kv_namespace, r2_bucket, queue, ai…): kept exactly as uploaded and
 * echoed by /settings like Cloudflare does, but not bound in the Worker the edge runs (worker-upload.ts says how to
 * model one).
 */
export interface OpaqueBinding {
  type: string;
  name: string;
  [field: string]: unknown;
}

export interface ScriptModule {
  name: string;
  contentType: string;
  contents: Uint8Array;
}

export interface ScriptRecord {
  name: string;
  mainModule: string;
  modules: ScriptModule[];
  compatibilityDate: string;
  compatibilityFlags: string[];
  bindings: Binding[];
  /** In upload order after the modelled ones; never seen by the edge. */
  opaqueBindings: OpaqueBinding[];
  tags: string[];
  /** Durable Object classes introduced by migrations, and whether each is SQLite-backed. */
  classes: Record<string, { sqlite: boolean }>;
  migrationTag?: string;
  /** The static assets the upload attached (recorded, not served: the edge runs the Worker only). */
  assets?: ScriptAssets;
  /** Everything else the upload's metadata said (observability, placement…), echoed by /settings. */
  settings: Record<string, unknown>;
  subdomain: { enabled: boolean; previews_enabled: boolean };
  createdOn: string;
  modifiedOn: string;
  etag: string;
}

export interface Account {
  id: string;
  /** The account's workers.dev subdomain; undefined for an account that never opened Workers. */
  subdomain: string | undefined;
  databases: Map<string, D1Record>;
  scripts: Map<string, ScriptRecord>;
  assets: AssetStore;
  /** Zones on the account, by name (their ids derived from it): where custom domains can be attached. */
  zones: Map<string, string>;
  /** Workers Custom Domains, by id. */
  domains: Map<string, CustomDomainRecord>;
}

export interface CustomDomainRecord {
  id: string;
  hostname: string;
  service: string;
  zone_id: string;
  zone_name: string;
  environment: string;
}

export function createAccount(id: string, subdomain: string | undefined, zones: string[] = []): Account {
  const zoneIds = new Map(zones.map((name) => [name, createHash("sha256").update(name).digest("hex").slice(0, 32)]));
  return {
    id,
    subdomain,
    databases: new Map(),
    scripts: new Map(),
    assets: new AssetStore(),
    zones: zoneIds,
    domains: new Map(),
  };
}

/** Cloudflare's answer wherever workers.dev is involved on an account that has no subdomain yet. */
export function requireSubdomain(account: Account): string {
  if (!account.subdomain) {
    throw new CloudflareError(
      404,
      10063,
      "workers.api.error.subdomain_required: register a workers.dev subdomain first.",
    );
  }
  return account.subdomain;
}

/** A Durable Object namespace's id: stable for a class of a script, as on Cloudflare across redeploys. */
export function namespaceId(account: Account, scriptName: string, className: string): string {
  return createHash("sha256").update(`${account.id}/${scriptName}/${className}`).digest("hex").slice(0, 32);
}
