// The alchemy program: pick the stage, credentials and state store, provision the stack, announce it.
import { userInfo } from "node:os";
import alchemy from "alchemy";
import { assertDeployCredentials, useLocalCredentials } from "./infra/credentials.ts";
import { announceDeploy } from "./infra/delivery/announce.ts";
import { replaceAlchemyDevServer } from "./infra/dev/alchemy-dev-server.ts";
import { devHost } from "./infra/dev/dev-host.ts";
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

const devPort = Number(process.env.DEV_PORT ?? DEFAULT_DEV_PORT);
// Local dev is served by the project's own proxy, on loopback unless DEV_HOST says otherwise
// (docs/dev-server.md); `--tunnel` keeps alchemy's Cloudflare tunnel and its proxy.
const listen = local && !argv.includes("--tunnel") ? devHost(process.env) : undefined;
const devServer = listen && (await replaceAlchemyDevServer({ ...listen, defaultPort: devPort }));
if (listen?.exposed) console.warn(`DEV_HOST=${listen.host}: the dev server is reachable from other machines.`);

export const worker = await provisionStack({
  stage,
  local,
  version: releaseVersion(process.env, packageJson.version),
  devPort,
});
devServer?.assertInUse();

console.log(`Stage ${stage}: ${worker.url ?? "(no URL)"}`);

await app.finalize();

// In GitHub Actions: step outputs (the URL for the deployment record) and the pull request's comment.
if (!local) await announceDeploy({ env: process.env, stage, url: worker.url });
