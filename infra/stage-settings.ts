// Which settings a stage gets: the defaults, then its kind's, then its own (infra/stage-config.ts), each value
// remembered with where it came from so an invalid one can be traced to the line to fix. Pure.

import { WORKER_SECRETS } from "./core/deploy-secrets.ts";
import { assertValidStage, PRODUCTION_STAGE, STAGING_STAGE } from "./core/stage.ts";
import { STAGE_CONFIG } from "./stage-config.ts";
import { WORKER_VAR_DEFAULTS, type WorkerVariable } from "./worker-vars.ts";

export const STAGE_KINDS = ["production", "staging", "preview", "dev"] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** Written as the Worker will read it: numbers and booleans become their decimal or `true`/`false` text. */
export type VariableValue = string | number | boolean;
export type StageVariables = Partial<Record<WorkerVariable, VariableValue>>;

/** A hostname on a zone of the account, or with its zone id when alchemy cannot infer it from the name. */
export type CustomDomain = string | { name: string; zoneId?: string };

export interface KindSettings {
  vars?: StageVariables;
}

export interface NamedStageSettings extends KindSettings {
  /** Custom domains for the stage's Worker (deployed stages only; its workers.dev URL stays). */
  domains?: CustomDomain[];
}

export interface StageConfig {
  kinds: Record<StageKind, KindSettings>;
  stages?: Record<string, NamedStageSettings>;
}

export const STAGE_CONFIG_FILE = "infra/stage-config.ts";

/** A local run is `dev` whatever its name; a deployed stage is production, staging or a preview. */
export function stageKind(stage: string, local: boolean): StageKind {
  if (local) return "dev";
  if (stage === PRODUCTION_STAGE) return "production";
  if (stage === STAGING_STAGE) return "staging";
  return "preview";
}

export interface ResolvedStage {
  kind: StageKind;
  values: Record<WorkerVariable, string>;
  /** Where each value came from, e.g. `infra/stage-config.ts stages.prod`. */
  origins: Record<WorkerVariable, string>;
  domains: { name: string; zoneId?: string }[];
}

export class StageConfigError extends Error {
  override name = "StageConfigError";
}

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function checkVars(where: string, vars: Record<string, unknown> | undefined, problems: string[]): void {
  for (const [name, value] of Object.entries(vars ?? {})) {
    if ((WORKER_SECRETS as readonly string[]).includes(name)) {
      problems.push(`${where}: ${name} is a Worker secret: it comes from the deploy's environment, never from a file`);
    } else if (!(name in WORKER_VAR_DEFAULTS)) {
      const hint = name === "STAGE" || name === "VERSION" ? " (set by infra itself)" : "";
      problems.push(`${where}: ${name} is not a Worker variable declared in infra/worker-vars.ts${hint}`);
    } else if (!["string", "number", "boolean"].includes(typeof value)) {
      problems.push(`${where}: ${name} must be a string, number or boolean`);
    }
  }
}

function domainName(domain: CustomDomain): string {
  return typeof domain === "string" ? domain : domain.name;
}

/** Throws a StageConfigError listing every structural mistake of the file (values are checked by the schema). */
export function checkStageConfig(config: StageConfig): void {
  const problems: string[] = [];
  for (const kind of STAGE_KINDS) checkVars(`kinds.${kind}.vars`, config.kinds[kind]?.vars, problems);
  const owners = new Map<string, string>();
  for (const [stage, settings] of Object.entries(config.stages ?? {})) {
    try {
      assertValidStage(stage);
    } catch (error) {
      problems.push(`stages.${stage}: ${(error as Error).message}`);
    }
    checkVars(`stages.${stage}.vars`, settings.vars, problems);
    for (const domain of settings.domains ?? []) {
      const name = domainName(domain);
      if (!HOSTNAME.test(name)) problems.push(`stages.${stage}.domains: "${name}" is not a lowercase hostname`);
      const owner = owners.get(name);
      if (owner) problems.push(`stages.${stage}.domains: "${name}" is already the domain of stage ${owner}`);
      owners.set(name, stage);
    }
  }
  if (problems.length > 0) {
    throw new StageConfigError(`${STAGE_CONFIG_FILE} is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** The stage's variables (defaults, then kind, then its own) and, when deployed, its custom domains. */
export function stageSettings(stage: string, local: boolean, config: StageConfig = STAGE_CONFIG): ResolvedStage {
  checkStageConfig(config);
  const kind = stageKind(stage, local);
  const values = { ...WORKER_VAR_DEFAULTS } as Record<WorkerVariable, string>;
  const origins = Object.fromEntries(
    Object.keys(WORKER_VAR_DEFAULTS).map((name) => [name, "infra/worker-vars.ts default"]),
  ) as Record<WorkerVariable, string>;
  const own = config.stages?.[stage];
  const layers: [string, StageVariables | undefined][] = [
    [`${STAGE_CONFIG_FILE} kinds.${kind}`, config.kinds[kind]?.vars],
    [`${STAGE_CONFIG_FILE} stages.${stage}`, own?.vars],
  ];
  for (const [origin, vars] of layers) {
    for (const [name, value] of Object.entries(vars ?? {}) as [WorkerVariable, VariableValue][]) {
      values[name] = String(value);
      origins[name] = origin;
    }
  }
  // A local run serves on localhost: a custom domain belongs to the deployed stage of that name only.
  const domains = local
    ? []
    : (own?.domains ?? []).map((domain) => (typeof domain === "string" ? { name: domain } : { ...domain }));
  return { kind, values, origins, domains };
}
