// The alchemy program: pick the stage, credentials and state store, check it is safe, provision the stack, announce it.
import { userInfo } from "node:os";
import alchemy, { Scope } from "alchemy";
import { ACKNOWLEDGED_DESTRUCTION } from "./infra/acknowledged-destruction.ts";
import { assertDeployCredentials, useLocalCredentials } from "./infra/core/credentials.ts";
import { APP_NAME, DEFAULT_DEV_PORT } from "./infra/core/runtime.ts";
import { resolveStage } from "./infra/core/stage.ts";
import { assertDestroyAllowed } from "./infra/data-safety/destroy-guard.ts";
import { unlistedResources } from "./infra/data-safety/destructive-changes.ts";
import { guardDestructiveChanges, reportDestruction } from "./infra/data-safety/guard.ts";
import { announceDeploy } from "./infra/delivery/announce.ts";
import { replaceAlchemyDevServer } from "./infra/dev/alchemy-dev-server.ts";
import { devHost } from "./infra/dev/dev-host.ts";
import { refuseCleanly } from "./infra/refusal.ts";
import { durableObjectBindings, provisionStack, stackResources } from "./infra/resources.ts";
import { assertOwnership, ownerToRecord } from "./infra/stage-ownership.ts";
import { chooseStateStore, stateStoreFactory } from "./infra/state.ts";
import { cloudflareClientFromEnv } from "./infra/vendors/cloudflare-api.ts";
import { stageWorkerConfig } from "./infra/worker-config.ts";
import { deploySecrets, localSecrets } from "./infra/worker-secrets.ts";
import { releaseVersion } from "./infra/worker-vars.ts";
import { ensureWorkersDevSubdomain } from "./infra/workers-subdomain.ts";
import packageJson from "./package.json" with { type: "json" };

const argv = process.argv.slice(2);
const local = argv.includes("--dev") || argv.includes("--local");
const purpose = local ? "dev" : argv.includes("--destroy") ? "destroy" : "deploy";
/** `alchemy state list` runs this program too, only to read the state: no preflight for it. */
const inspecting = argv.some((arg) => arg.startsWith("--state-cmd"));
const stage = resolveStage({ argv, env: process.env, purpose, osUser: userInfo().username });
const log = (line: string) => console.log(line);

if (local) useLocalCredentials(process.env);
else assertDeployCredentials(process.env);

// The Worker's variables and secrets, checked with the Worker's own schema before anything starts: an invalid
// value or a missing secret stops dev and deploy here, naming it and the stage (docs/configuration.md).
const localRun = local ? localSecrets() : undefined;
const config =
  purpose === "destroy" || inspecting
    ? undefined
    : refuseCleanly(() =>
        stageWorkerConfig({
          stage,
          local,
          version: releaseVersion(process.env, packageJson.version),
          secrets: localRun?.worker ?? deploySecrets(stage, process.env),
        }),
      );

// Before alchemy starts: its destroy phase runs inside alchemy() and exits 0 whatever happens.
if (purpose === "destroy") refuseCleanly(() => assertDestroyAllowed(stage, process.env));
const cloudflare = local ? undefined : cloudflareClientFromEnv(process.env);
// A branch preview is deployed or destroyed only for the branch that owns it (docs/previews.md).
if (purpose !== "dev" && !inspecting && cloudflare) {
  await refuseCleanly(() => assertOwnership({ cloudflare, stage, purpose, env: process.env }));
}
if (purpose === "deploy" && !inspecting && cloudflare) {
  await refuseCleanly(() => ensureWorkersDevSubdomain(cloudflare, process.env, log));
}

const app = await alchemy(APP_NAME, {
  stage,
  stateStore: stateStoreFactory(chooseStateStore({ local, env: process.env })),
  // Local state holds the per-checkout dev secrets: encrypted with the checkout's own password, never a deploy's.
  ...(localRun ? { password: localRun.statePassword } : {}),
});
if (!config) throw new Error("Unreachable: alchemy exits after a destroy or a state command.");

const durableObjects = durableObjectBindings();
// Worked out before anything is created or uploaded; refuses on a protected stage unless acknowledged.
const deleting =
  purpose === "deploy" && cloudflare
    ? await refuseCleanly(() =>
        guardDestructiveChanges({
          stage,
          resources: stackResources(stage),
          durableObjects: Object.entries(durableObjects).map(([binding, { id, className }]) => ({
            binding,
            id,
            className,
          })),
          state: Scope.current.state,
          cloudflare,
          acknowledgements: ACKNOWLEDGED_DESTRUCTION,
          env: process.env,
          log,
        }),
      )
    : [];
const devPort = Number(process.env.DEV_PORT ?? DEFAULT_DEV_PORT);
// Local dev is served by the project's own proxy, on loopback unless DEV_HOST says otherwise
// (docs/dev-server.md); `--tunnel` keeps alchemy's Cloudflare tunnel and its proxy.
const listen = local && !argv.includes("--tunnel") ? devHost(process.env) : undefined;
const devServer = listen && (await replaceAlchemyDevServer({ ...listen, defaultPort: devPort }));
if (listen?.exposed) console.warn(`DEV_HOST=${listen.host}: the dev server is reachable from other machines.`);

export const worker = await provisionStack({
  stage,
  local,
  phase: app.phase,
  config,
  devPort,
  durableObjects,
  owner: local ? "" : refuseCleanly(() => ownerToRecord(stage, process.env)),
});
devServer?.assertInUse();

const unlisted = unlistedResources(Scope.current.resources.keys(), stackResources(stage));
if (unlisted.length > 0) {
  throw new Error(`infra/resources.ts creates ${unlisted.join(", ")}, which stackResources() does not list.`);
}

console.log(`Stage ${stage}: ${worker.url ?? "(no URL)"}`);

await app.finalize();
await reportDestruction(stage, deleting, log);

// In GitHub Actions: step outputs (the URL for the deployment record) and the pull request's comment.
if (!local) await announceDeploy({ env: process.env, stage, url: worker.url });
