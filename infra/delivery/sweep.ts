// Which preview stages to sweep: created by the workflows, still deployed, and their branch is gone. Pure.
import { physicalName, RESOURCE_ID, stageOfPreviewEnvironment } from "../names.ts";
import { isProtectedStage } from "../protected-stages.ts";
import { stageForBranch } from "../stage.ts";
import type { CloudflareInventory } from "./cloudflare-api.ts";

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

export interface SweepInput {
  /** GitHub environment names; only `preview-<stage>` ones mark stages the workflows created. */
  environments: readonly string[];
  branches: readonly string[];
  defaultBranch: string;
  deployed: ReadonlySet<string>;
}

/**
 * Stale = a preview stage (it has a `preview-<stage>` environment, so a workflow deployed it) that
 * still has resources and that no existing branch maps to. Production and stages deployed from a
 * laptop (no such environment) are never candidates.
 */
export function planSweep({ environments, branches, defaultBranch, deployed }: SweepInput): string[] {
  const live = new Set(branches.map((branch) => stageForBranch(branch, defaultBranch)));
  const previews = environments.map(stageOfPreviewEnvironment).filter((stage) => stage !== undefined);
  const stale = previews.filter((stage) => !isProtectedStage(stage) && deployed.has(stage) && !live.has(stage));
  return [...new Set(stale)].sort();
}
