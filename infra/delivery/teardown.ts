// Did a destroy really finish? Pure decisions over alchemy's state listing and the Cloudflare inventory.

import { stageResourceNames } from "../core/names.ts";
import { APP_NAME } from "../core/runtime.ts";
import type { CloudflareInventory } from "../vendors/cloudflare-api.ts";

/** What `alchemy state list` prints for a stage with nothing in its state. */
export const EMPTY_STATE_LINE = "(no resources)";

/**
 * The resources still recorded in the stage's state, from `alchemy state list --stage X` (one
 * `app/stage/id` per line). Output that is neither a listing nor the empty marker is an error, so
 * a change in alchemy's output can never read as "nothing left".
 */
export function parseStateList(output: string, stage: string): string[] {
  const lines = output.split(/\r?\n/).map((line) => line.trim());
  const prefix = `${APP_NAME}/${stage}/`;
  const resources = lines.filter((line) => line.startsWith(prefix));
  if (resources.length === 0 && !lines.includes(EMPTY_STATE_LINE)) {
    throw new Error(`Could not read the state of stage "${stage}" from alchemy's output:\n${output.trim()}`);
  }
  return resources;
}

/** The stage's resources that Cloudflare still has, described for a person. */
export function cloudflareLeftovers(inventory: CloudflareInventory, stage: string): string[] {
  const names = stageResourceNames(stage);
  const left: string[] = [];
  if (inventory.workers.includes(names.worker)) left.push(`Worker ${names.worker}`);
  if (inventory.databases.includes(names.database)) left.push(`D1 database ${names.database}`);
  for (const namespace of inventory.durableObjectNamespaces) {
    if (namespace.script === names.worker) {
      left.push(`Durable Object namespace ${namespace.name ?? namespace.id} (class ${namespace.class ?? "?"})`);
    }
  }
  return left;
}

export interface TeardownCheck {
  stage: string;
  state: string[];
  cloudflare: string[];
}

export function teardownVerdict({ stage, state, cloudflare }: TeardownCheck): { ok: boolean; message: string } {
  if (state.length === 0 && cloudflare.length === 0) {
    return { ok: true, message: `Stage ${stage} is gone: nothing in alchemy's state, nothing on Cloudflare.` };
  }
  const lines = [
    `Stage ${stage} was NOT fully destroyed. Left behind:`,
    ...state.map((fqn) => `  - in alchemy's state: ${fqn}`),
    ...cloudflare.map((what) => `  - on Cloudflare: ${what}`),
    `Re-run the destroy (npm run destroy -- --stage ${stage}) and read its log; alchemy exits 0 even when it fails.`,
  ];
  return { ok: false, message: lines.join("\n") };
}
