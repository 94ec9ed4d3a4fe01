// Which preview stages to sweep, and which preview environments to remove: created by the workflows, and no live
// branch owns them. Pure.
import { physicalName, RESOURCE_ID, stageOfPreviewEnvironment } from "../core/names.ts";
import { isProtectedStage } from "../core/protected-stages.ts";
import { isPreviewStage, legacyStageForBranch, previewStage } from "../core/stage.ts";
import type { CloudflareInventory } from "../vendors/cloudflare-api.ts";

/** Stages that still have a Worker or a D1 database on the account, read back from the physical names. */
export function deployedStages(inventory: CloudflareInventory): Set<string> {
  const stages = new Set<string>();
  const collect = (names: string[], id: string) => {
    const prefix = physicalName(id, "");
    for (const name of names)
      if (name.startsWith(prefix) && name.length > prefix.length) stages.add(name.slice(prefix.length));
  };
  collect(inventory.workers, RESOURCE_ID.worker);
  collect(inventory.databases, RESOURCE_ID.database);
  return stages;
}

/** The stages of the workflows' `preview-<stage>` environments, once each, sorted. */
export function previewEnvironmentStages(environments: readonly string[]): string[] {
  const stages = environments.map(stageOfPreviewEnvironment).filter((stage) => stage !== undefined);
  return [...new Set(stages)].filter((stage) => !isProtectedStage(stage)).sort();
}

export interface LiveBranches {
  branches: readonly string[];
  defaultBranch: string;
}

/**
 * The live branch that owns the stage, if any: its recorded owner while that branch exists; else, when no owner is
 * recorded (Worker gone, or a preview named the old way), a live branch whose name gives this stage, by today's
 * naming or by the old one, so an old preview is kept while a branch that may still use it exists.
 */
export function liveOwner(stage: string, owner: string | undefined, live: LiveBranches): string | undefined {
  if (owner) return live.branches.includes(owner) ? owner : undefined;
  const derive = isPreviewStage(stage) ? previewStage : (b: string) => legacyStageForBranch(b, live.defaultBranch);
  return live.branches.find((branch) => branch !== live.defaultBranch && derive(branch) === stage);
}

export interface SweepInput extends LiveBranches {
  /** GitHub environment names; only `preview-<stage>` ones mark stages the workflows created. */
  environments: readonly string[];
  deployed: ReadonlySet<string>;
  /** The recorded owner of each deployed preview stage (infra/stage-ownership.ts); absent = none recorded. */
  owners: ReadonlyMap<string, string | undefined>;
}

export interface SweepPlan {
  /** Deployed previews no live branch owns, sorted. */
  stale: string[];
  /** Deployed previews kept, with the live branch that owns each. */
  kept: { stage: string; branch: string }[];
}

/**
 * Stale = a preview stage (it has a `preview-<stage>` environment, so a workflow deployed it) that still has
 * resources and that no live branch owns. Protected stages (prod, staging) and stages deployed from a laptop (no
 * such environment) are never candidates.
 */
export function planSweep({ environments, deployed, owners, ...live }: SweepInput): SweepPlan {
  const plan: SweepPlan = { stale: [], kept: [] };
  for (const stage of previewEnvironmentStages(environments).filter((s) => deployed.has(s))) {
    const branch = liveOwner(stage, owners.get(stage), live);
    if (branch) plan.kept.push({ stage, branch });
    else plan.stale.push(stage);
  }
  return plan;
}

/**
 * Preview environments whose stage has nothing left on Cloudflare and no live branch: the deployment records of
 * previews already destroyed. A stage destroyed in this sweep has its environment removed by the next one.
 */
export function staleEnvironments({ environments, deployed, ...live }: Omit<SweepInput, "owners">): string[] {
  return environments
    .filter((environment) => {
      const stage = stageOfPreviewEnvironment(environment);
      return (
        stage !== undefined && !isProtectedStage(stage) && !deployed.has(stage) && !liveOwner(stage, undefined, live)
      );
    })
    .sort();
}
