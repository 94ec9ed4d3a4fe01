// Swaps alchemy 0.94's local dev proxy for ours (dev-proxy.ts) through the one seam its Miniflare
// controller has: the "tunnel", which takes over exposing a Worker. alchemy still builds, watches and
// runs the Worker in Miniflare; only the Node server in front of workerd changes. docs/dev-server.md.
import { withWorkerBehindAssets } from "./assets-routing.ts";
import { type DevProxy, startDevProxy } from "./dev-proxy.ts";

/** The parts of alchemy's (unexported) MiniflareController this relies on; pinned with alchemy 0.94.0. */
interface MiniflareController {
  add(input: { name: string; port?: number; tunnel?: boolean }): Promise<string>;
  getMiniflare(): Promise<{ ready: Promise<URL> }>;
  setMiniflareOptions(options: { workers: Record<string, unknown>[] }): Promise<unknown>;
  tunnel?: {
    configureWorker(input: { name: string }): Promise<string>;
    close(): Promise<void>;
  };
}

const CONTROLLER_MODULE = "./miniflare/miniflare-controller.js";

async function alchemyController(): Promise<MiniflareController> {
  // Not in alchemy's package exports, so it is found beside the public `alchemy/cloudflare` entry.
  const url = new URL(CONTROLLER_MODULE, import.meta.resolve("alchemy/cloudflare"));
  const module = (await import(url.href)) as { MiniflareController?: { singleton?: MiniflareController } };
  const controller = module.MiniflareController?.singleton;
  if (
    typeof controller?.add !== "function" ||
    typeof controller.getMiniflare !== "function" ||
    typeof controller.setMiniflareOptions !== "function"
  ) {
    throw new Error("alchemy's MiniflareController changed: re-check infra/dev/alchemy-dev-server.ts.");
  }
  return controller;
}

export interface DevServerReplacement {
  /** Throws unless every local Worker came up behind our proxy (i.e. alchemy kept to the seam). */
  assertInUse(): void;
}

export async function replaceAlchemyDevServer(options: {
  host: string;
  announce: string;
  defaultPort: number;
}): Promise<DevServerReplacement> {
  const controller = await alchemyController();
  if (controller.tunnel) throw new Error("alchemy's dev tunnel is already set up; cannot replace its dev server.");
  const requestedPorts = new Map<string, number | undefined>();
  const proxies: DevProxy[] = [];
  let added = 0;

  controller.tunnel = {
    async configureWorker({ name }) {
      const proxy = await startDevProxy({
        host: options.host,
        port: requestedPorts.get(name) ?? options.defaultPort,
        upstream: async () => (await controller.getMiniflare()).ready,
        // Miniflare sends requests without a route to its first Worker *through its static-assets
        // router*; naming a Worker routes straight to its script, which would skip the assets.
        routeHeaders: proxies.length === 0 ? {} : { "MF-Route-Override": name },
      });
      proxies.push(proxy);
      // alchemy prints this as "Ready at …", the line scripts and tests wait for.
      return `http://${options.announce}:${proxy.port}/`;
    },
    async close() {
      await Promise.all(proxies.map((proxy) => proxy.close()));
    },
  };
  const setOptions = controller.setMiniflareOptions.bind(controller);
  controller.setMiniflareOptions = (miniflareOptions) => setOptions(withWorkerBehindAssets(miniflareOptions));
  const add = controller.add.bind(controller);
  controller.add = (input) => {
    added += 1;
    requestedPorts.set(input.name, input.port);
    return add({ ...input, tunnel: true });
  };

  return {
    assertInUse() {
      if (added === 0 || proxies.length !== added) {
        throw new Error("alchemy did not start its local Workers through the project's dev server.");
      }
    },
  };
}
