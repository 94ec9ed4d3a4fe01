// How the edge turns an accepted upload into Miniflare options, and workerd's verdict on its Durable Object exports.
import type { WorkerOptions } from "miniflare";
import type { ScriptModule, ScriptRecord } from "./account.ts";
import { CloudflareError } from "./envelope.ts";

/**
 * Cloudflare refuses an upload whose Durable Object binding names a class the main module does not export;
 * workerd only warns at startup (and fails each call later), so the double turns that warning into the refusal.
 */
export function assertClassesExported(script: ScriptRecord, startupLog: string): void {
  for (const binding of script.bindings) {
    if (binding.type !== "durable_object_namespace") continue;
    if (
      startupLog.includes(`referenced the class "${binding.class_name}", but no such Durable Object class is exported`)
    ) {
      throw new CloudflareError(
        400,
        10061,
        `Durable Object binding ${binding.name}: class '${binding.class_name}' is not exported by the Worker's main module (or does not extend DurableObject).`,
      );
    }
  }
}

const MODULE_KINDS = {
  "application/javascript+module": "ESModule",
  "text/plain": "Text",
  "application/octet-stream": "Data",
  "application/wasm": "CompiledWasm",
} as const;

function toModule(module: ScriptModule) {
  const type = MODULE_KINDS[module.contentType as keyof typeof MODULE_KINDS];
  return { type, path: module.name, contents: module.contents };
}

export function workerOptions(
  script: ScriptRecord,
  port: number,
  storageKey: (className: string) => string,
): WorkerOptions {
  const main = script.modules.find((m) => m.name === script.mainModule) as ScriptModule;
  const bindings: Record<string, unknown> = {};
  const d1Databases: Record<string, string> = {};
  const durableObjects: Record<string, { className: string; useSQLite: boolean; unsafeUniqueKey: string }> = {};
  // Only the modelled bindings: `script.opaqueBindings` (KV, R2, queues…) stay unbound (worker-upload.ts).
  for (const binding of script.bindings) {
    if (binding.type === "plain_text" || binding.type === "secret_text") bindings[binding.name] = binding.text;
    else if (binding.type === "json") bindings[binding.name] = binding.json;
    else if (binding.type === "d1") d1Databases[binding.name] = binding.id;
    else if (binding.type === "assets")
      continue; // recorded, not served (account.ts)
    else {
      const sqlite = script.classes[binding.class_name]?.sqlite ?? false;
      const unsafeUniqueKey = storageKey(binding.class_name);
      durableObjects[binding.name] = { className: binding.class_name, useSQLite: sqlite, unsafeUniqueKey };
    }
  }
  return {
    name: script.name,
    modules: [toModule(main), ...script.modules.filter((m) => m !== main).map(toModule)],
    compatibilityDate: script.compatibilityDate,
    compatibilityFlags: script.compatibilityFlags,
    bindings,
    d1Databases,
    durableObjects,
    unsafeDirectSockets: [{ host: "127.0.0.1", port }],
  } as WorkerOptions;
}
