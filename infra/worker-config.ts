// A stage's whole Worker configuration (variables, secrets, custom domains), checked with the schema the Worker
// itself uses before dev, a deploy or the tests start: an invalid value stops them, naming it and the stage.
import { CONFIG_VARIABLES, ConfigError, ConfigSchema } from "../src/config/config-schema.ts";
import { type ResolvedStage, type StageConfig, type StageKind, stageSettings } from "./stage-settings.ts";
import { ephemeralSecrets, type WorkerSecrets } from "./worker-secrets.ts";
import type { WorkerVariable } from "./worker-vars.ts";

export interface StageWorkerConfig {
  stage: string;
  kind: StageKind;
  /** Plain-text bindings: STAGE, VERSION and every variable of infra/worker-vars.ts. */
  vars: Record<WorkerVariable | "STAGE" | "VERSION", string>;
  /** secret_text bindings; never printed. */
  secrets: WorkerSecrets;
  domains: ResolvedStage["domains"];
}

export interface WorkerConfigInput {
  stage: string;
  version: string;
  local: boolean;
  secrets: WorkerSecrets;
  /** infra/stage-config.ts unless given (tests). */
  stageConfig?: StageConfig;
}

/** Throws a ConfigError when infra declares a variable the Worker's schema does not know, or the reverse. */
function assertSameVariables(declared: string[]): void {
  const schema = new Set<string>(CONFIG_VARIABLES);
  const extra = declared.filter((name) => !schema.has(name));
  const undeclared = CONFIG_VARIABLES.filter((name) => !declared.includes(name));
  if (extra.length + undeclared.length === 0) return;
  throw new ConfigError(
    [
      extra.length ? `${extra.join(", ")}: declared in infra but not in src/config/config-schema.ts` : "",
      undeclared.length ? `${undeclared.join(", ")}: in the schema but declared nowhere in infra` : "",
    ]
      .filter(Boolean)
      .join("; "),
  );
}

/** The stage's configuration, validated; a ConfigError names each bad variable, where its value came from, and the stage. */
export function stageWorkerConfig(input: WorkerConfigInput): StageWorkerConfig {
  const { stage, version, local, secrets } = input;
  const settings = stageSettings(stage, local, input.stageConfig);
  const vars = { STAGE: stage, VERSION: version, ...settings.values };
  assertSameVariables([...Object.keys(vars), ...Object.keys(secrets)]);
  const parsed = ConfigSchema.safeParse({ ...vars, ...secrets });
  if (!parsed.success) {
    const origin = (name: string) =>
      name in secrets ? "the deploy's environment (secret)" : (settings.origins[name as WorkerVariable] ?? "infra");
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "");
      return `  - ${name} (${origin(name)}): ${issue.message}`;
    });
    throw new ConfigError(
      `Stage "${stage}" (${settings.kind}) has an invalid Worker configuration:\n${problems.join("\n")}\nSee docs/configuration.md.`,
    );
  }
  return { stage, kind: settings.kind, vars, secrets, domains: settings.domains };
}

/** A local stage's bindings for Miniflare (the tests, the benchmark): validated variables and throwaway secrets. */
export function localWorkerBindings(stage: string, secrets: WorkerSecrets = ephemeralSecrets()) {
  const config = stageWorkerConfig({ stage, version: stage, local: true, secrets });
  return { ...config.vars, ...config.secrets };
}
