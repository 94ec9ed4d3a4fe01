// The alchemy program: pick the stage, credentials and state store, provision the stack, announce it.
import { userInfo } from "node:os";
import alchemy from "alchemy";
import { assertDeployCredentials, useLocalCredentials } from "./infra/credentials.ts";
import { announceDeploy } from "./infra/delivery/announce.ts";
import { provisionStack } from "./infra/resources.ts";
import { APP_NAME, DEFAULT_DEV_PORT } from "./infra/runtime.ts";
import { resolveStage } from "./infra/stage.ts";
import { chooseStateStore, stateStoreFactory } from "./infra/state.ts";
import { releaseVersion } from "./infra/worker-vars.ts";
import packageJson from "./package.json" with { type: "json" };

const argv = process.argv.slice(2);
const local = argv.includes("--dev") || argv.includes("--local");
const purpose = local ? "dev" : argv.includes("--destroy") ? "destroy" : "deploy";
const stage = resolveStage({ argv, env: process.env, purpose, osUser: userInfo().username });

if (local) useLocalCredentials(process.env);
else assertDeployCredentials(process.env);

const app = await alchemy(APP_NAME, {
  stage,
  stateStore: stateStoreFactory(chooseStateStore({ local, env: process.env })),
});

export const worker = await provisionStack({
  stage,
  local,
  phase: app.phase,
  version: releaseVersion(process.env, packageJson.version),
  devPort: Number(process.env.DEV_PORT ?? DEFAULT_DEV_PORT),
});

console.log(`Stage ${stage}: ${worker.url ?? "(no URL)"}`);

await app.finalize();

// In GitHub Actions: step outputs (the URL for the deployment record) and the pull request's comment.
if (!local) await announceDeploy({ env: process.env, stage, url: worker.url });
