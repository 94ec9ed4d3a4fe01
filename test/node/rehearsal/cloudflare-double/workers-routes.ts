// Workers script endpoints: upload (validated, then served by the edge), settings, workers.dev subdomain, delete.
import {
  type Account,
  type Binding,
  namespaceId,
  type OpaqueBinding,
  requireSubdomain,
  type ScriptRecord,
} from "./account.ts";
import type { Edge } from "./edge.ts";
import { CloudflareError, page, success } from "./envelope.ts";
import type { Call, Router } from "./router.ts";
import { type SdkResults, sdkShaped } from "./sdk-types.ts";
import { parseUpload, planUpload } from "./worker-upload.ts";

const SCRIPT = "/accounts/:account/workers/scripts/:name";
/** The one route that takes an assets upload session's JWT instead of the API token. */
export const ASSETS_UPLOAD = "/accounts/:account/workers/assets/upload";

export function workersRoutes(router: Router, account: Account, edge: Edge): void {
  const find = (call: Call): ScriptRecord => {
    const script = account.scripts.get(call.params.name as string);
    if (!script) throw new CloudflareError(404, 10007, "This Worker does not exist on your account.");
    return script;
  };

  router.on("GET", "/accounts/:account/workers/subdomain", () =>
    success(sdkShaped("GET workers/subdomain", { subdomain: requireSubdomain(account) })),
  );

  // Registering (or changing) the account's subdomain, as the dashboard's first visit to Workers does.
  router.on("PUT", "/accounts/:account/workers/subdomain", async (call) => {
    const { subdomain } = (await call.request.json()) as { subdomain?: unknown };
    if (typeof subdomain !== "string" || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(subdomain)) {
      throw new CloudflareError(400, 10032, "Invalid workers.dev subdomain.");
    }
    account.subdomain = subdomain;
    return success(sdkShaped("PUT workers/subdomain", { subdomain }));
  });

  router.on("GET", "/accounts/:account/workers/scripts", () =>
    success(
      [...account.scripts.values()].map((script) =>
        sdkShaped("GET workers/scripts", {
          id: script.name,
          etag: script.etag,
          created_on: script.createdOn,
          modified_on: script.modifiedOn,
          compatibility_date: script.compatibilityDate,
          tags: script.tags,
        }),
      ),
    ),
  );

  router.on("GET", "/accounts/:account/workers/durable_objects/namespaces", (call) => {
    const namespaces = [...account.scripts.values()].flatMap((script) =>
      Object.entries(script.classes).map(([className, { sqlite }]) =>
        sdkShaped("GET workers/durable_objects/namespaces", {
          id: namespaceId(account, script.name, className),
          name: `${script.name}_${className}`,
          script: script.name,
          class: className,
          use_sqlite: sqlite,
        }),
      ),
    );
    return page(namespaces, call.query);
  });

  router.on("GET", SCRIPT, (call) => {
    const script = find(call);
    const main = script.modules.find((m) => m.name === script.mainModule);
    return { status: 200, body: new TextDecoder().decode(main?.contents), contentType: "application/javascript" };
  });

  router.on("PUT", SCRIPT, async (call) => {
    const name = call.params.name as string;
    const { metadata, modules } = await parseUpload(call.request);
    const previous = account.scripts.get(name);
    const plan = planUpload({ account, name, previous, metadata, modules, now: new Date().toISOString() });
    await edge.deploy(plan.script, plan.deletedClasses);
    account.scripts.set(name, plan.script);
    const script = plan.script;
    return success({
      id: name,
      etag: script.etag,
      handlers: ["fetch"],
      created_on: script.createdOn,
      modified_on: script.modifiedOn,
      compatibility_date: script.compatibilityDate,
      compatibility_flags: script.compatibilityFlags,
      migration_tag: script.migrationTag,
      usage_model: "standard",
      has_modules: true,
      tags: script.tags,
    });
  });

  router.on("POST", `${SCRIPT}/assets-upload-session`, async (call) =>
    success(account.assets.openSession(call.params.name as string, await call.request.json().catch(() => null))),
  );

  // Authorised by the upload session's JWT, not the API token (server.ts lets it through).
  router.on("POST", ASSETS_UPLOAD, async (call) => {
    const result = await account.assets.upload(
      call.request.headers.get("authorization"),
      call.query.get("base64") === "true",
      call.request,
    );
    return success(result, result.jwt ? 201 : 202);
  });

  router.on("GET", `${SCRIPT}/settings`, (call) => {
    const script = find(call);
    // The settings the upload sent are echoed as they came (alchemy reads some the SDK's type leaves out).
    return success({
      ...script.settings,
      ...sdkShaped("GET workers/scripts/:name/settings", {
        compatibility_date: script.compatibilityDate,
        compatibility_flags: script.compatibilityFlags,
        // Like Cloudflare, never echo a secret's value; opaque bindings as they were uploaded (worker-upload.ts).
        bindings: [...script.bindings.map(settingsBinding), ...script.opaqueBindings.map(asUploaded)],
        tags: script.tags,
        usage_model: "standard",
      }),
    });
  });

  router.on("POST", `${SCRIPT}/subdomain`, async (call) => {
    const script = find(call);
    requireSubdomain(account);
    const body = (await call.request.json()) as { enabled?: boolean; previews_enabled?: boolean };
    // Cloudflare's rules for preview URLs on Workers with Durable Objects are not modelled (docs/deploying.md).
    script.subdomain = { enabled: body.enabled ?? false, previews_enabled: body.previews_enabled ?? false };
    return success(script.subdomain);
  });

  router.on("GET", `${SCRIPT}/subdomain`, (call) => success(find(call).subdomain));

  router.on("GET", `${SCRIPT}/queue-consumers`, (call) => {
    find(call);
    return success([]);
  });

  router.on("DELETE", SCRIPT, async (call) => {
    const script = find(call);
    await edge.remove(script.name);
    account.scripts.delete(script.name);
    return success(null);
  });
}

type SettingsBinding = NonNullable<SdkResults["GET workers/scripts/:name/settings"]["bindings"]>[number];

/** A binding as /settings shows it: a D1 binding names its database as `database_id` too. */
/** A binding the double does not model, echoed as alchemy uploaded it: Cloudflare's own shape, unchecked here. */
const asUploaded = (binding: OpaqueBinding) => binding as unknown as SettingsBinding;

function settingsBinding(binding: Binding): SettingsBinding {
  if (binding.type === "d1") return { ...binding, database_id: binding.id };
  // Cloudflare never echoes a secret's value, though its API description (so the SDK's type) requires `text`.
  if (binding.type === "secret_text") return { type: binding.type, name: binding.name } as SettingsBinding;
  return binding;
}
