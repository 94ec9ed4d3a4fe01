// What the stage's Worker resource receives from its configuration: plain-text variables, secrets wrapped with
// alchemy.secret (secret_text on Cloudflare, encrypted with ALCHEMY_PASSWORD in state) and custom domains.
import alchemy from "alchemy";
import type { StageWorkerConfig } from "./worker-config.ts";

export function configBindings(config: StageWorkerConfig) {
  const secrets = Object.fromEntries(
    Object.entries(config.secrets).map(([name, value]) => [name, alchemy.secret(value, name)]),
  ) as { [name in keyof StageWorkerConfig["secrets"]]: ReturnType<typeof alchemy.secret<string>> };
  return { ...config.vars, ...secrets };
}

/** alchemy's `domains` prop, or nothing: a stage without custom domains keeps exactly today's Worker props. */
export function configDomains(config: StageWorkerConfig) {
  if (config.domains.length === 0) return {};
  return { domains: config.domains.map(({ name, zoneId }) => ({ domainName: name, ...(zoneId ? { zoneId } : {}) })) };
}
