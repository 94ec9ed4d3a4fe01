// Where alchemy keeps state: on disk for local stages, in Cloudflare for anything deployed from CI.
import type { StateStoreType } from "alchemy";
import { CloudflareStateStore, FileSystemStateStore } from "alchemy/state";
import { STATE_STORE_SECRETS } from "./core/deploy-secrets.ts";

type Env = Record<string, string | undefined>;

export const REQUIRED_CI_SECRETS = STATE_STORE_SECRETS;

export type StateStoreKind = "filesystem" | "cloudflare";

/**
 * Local dev keeps state under `.alchemy/`. A deploy shares state through CloudflareStateStore so a
 * laptop and CI see the same stages; ALCHEMY_STATE_STORE=filesystem opts out, except in GitHub
 * Actions, where state on a runner's disk would be lost and the stage orphaned.
 */
export function chooseStateStore({ local, env }: { local: boolean; env: Env }): StateStoreKind {
  if (local) return "filesystem";
  if (env.ALCHEMY_STATE_STORE === "filesystem") {
    if (env.GITHUB_ACTIONS === "true") {
      throw new Error(
        "ALCHEMY_STATE_STORE=filesystem is refused in GitHub Actions: state would be lost with the runner.",
      );
    }
    return "filesystem";
  }
  const missing = REQUIRED_CI_SECRETS.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `Deploying with the shared Cloudflare state store needs the secret(s) ${missing.join(", ")}. ` +
        "Set them (docs/deploying.md), or ALCHEMY_STATE_STORE=filesystem for a laptop-only stage.",
    );
  }
  return "cloudflare";
}

export function stateStoreFactory(kind: StateStoreKind): StateStoreType {
  return kind === "cloudflare"
    ? (scope) => new CloudflareStateStore(scope)
    : (scope) => new FileSystemStateStore(scope);
}
