// Which branch owns a preview stage: recorded on the stage's Worker, read back through the Cloudflare API, and the
// rules for who may deploy or destroy it. The verdicts are pure; readStageOwner is the one API call.

import { stageResourceNames } from "./core/names.ts";
import { gitHubBranch, isPreviewStage, previewStage } from "./core/stage.ts";
import { CloudflareApiError, type CloudflareClient, readWorkerSettings } from "./vendors/cloudflare-api.ts";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The plain-text Worker variable holding the owning branch's exact name. On the Worker because that is what the
 * teardown, the sweeper and a laptop can all read with the credentials they already have (the preview token), it
 * survives a lost alchemy state, and it disappears with the stage. Empty on stages no branch owns.
 */
export const STAGE_OWNER_BINDING = "STAGE_OWNER";

export class StageOwnershipError extends Error {
  override name = "StageOwnershipError";
}

/** The branch this run acts for: STAGE_BRANCH, else the branch GitHub Actions reports; undefined on a laptop. */
export function actingBranch(env: Env): string | undefined {
  if (env.STAGE_BRANCH) return env.STAGE_BRANCH;
  return env.GITHUB_ACTIONS === "true" ? gitHubBranch(env) : undefined;
}

/** What a deploy records as the owner: the acting branch on a preview stage, nothing on any other stage. */
export function ownerToRecord(stage: string, env: Env): string {
  if (!isPreviewStage(stage)) return "";
  const branch = actingBranch(env);
  if (!branch) throw new StageOwnershipError(`Stage "${stage}" is a branch preview: set STAGE_BRANCH to its branch.`);
  return branch;
}

export interface StageOwner {
  /** The stage's Worker exists. */
  deployed: boolean;
  /** The recorded owning branch; undefined when the Worker is missing or records none. */
  owner: string | undefined;
}

/** Reads the owner off the stage's Worker (`GET …/workers/scripts/:name/settings`). */
export async function readStageOwner(cloudflare: CloudflareClient, stage: string): Promise<StageOwner> {
  const worker = stageResourceNames(stage).worker;
  let settings: Awaited<ReturnType<typeof readWorkerSettings>>;
  try {
    settings = await readWorkerSettings(cloudflare, worker);
  } catch (error) {
    if (error instanceof CloudflareApiError && error.status === 404) return { deployed: false, owner: undefined };
    throw error;
  }
  const binding = settings.bindings?.find((b) => b.name === STAGE_OWNER_BINDING && b.type === "plain_text");
  return { deployed: true, owner: (binding && "text" in binding && binding.text) || undefined };
}

export interface OwnershipInput {
  stage: string;
  /** Recorded owner (readStageOwner). */
  owner: string | undefined;
  /** The branch this run acts for. */
  branch: string | undefined;
}

export type Verdict = { ok: true } | { ok: false; message: string };

/**
 * A deploy may write a preview stage only for the branch that owns it, or, on a stage with no owner yet, for the
 * branch whose name it is derived from. Stages that are not previews (prod, staging, your own) have no owner.
 */
export function deployVerdict({ stage, owner, branch }: OwnershipInput): Verdict {
  if (!isPreviewStage(stage)) return { ok: true };
  if (!branch) return { ok: false, message: `Stage "${stage}" is a branch preview: set STAGE_BRANCH to its branch.` };
  if (owner && owner !== branch) {
    return {
      ok: false,
      message: `Stage "${stage}" belongs to branch "${owner}"; branch "${branch}" may not deploy over it. Branch "${branch}" deploys to stage "${previewStage(branch)}".`,
    };
  }
  if (!owner && stage !== previewStage(branch)) {
    return {
      ok: false,
      message: `Stage "${stage}" is not the preview of branch "${branch}" (that is "${previewStage(branch)}").`,
    };
  }
  return { ok: true };
}

/** A destroy may remove a preview stage unless another branch is recorded as its owner. */
export function destroyVerdict({ stage, owner, branch }: OwnershipInput): Verdict {
  if (!isPreviewStage(stage) || !owner || owner === branch) return { ok: true };
  return {
    ok: false,
    message: `Stage "${stage}" belongs to branch "${owner}", not ${branch ? `"${branch}"` : "this run"}: left alone.`,
  };
}

/** The deploy program's own check (alchemy.run.ts), whatever started it: throws a StageOwnershipError to refuse. */
export async function assertOwnership(input: {
  cloudflare: CloudflareClient;
  stage: string;
  purpose: "deploy" | "destroy";
  env: Env;
}): Promise<void> {
  if (!isPreviewStage(input.stage)) return;
  const { owner } = await readStageOwner(input.cloudflare, input.stage);
  const branch = actingBranch(input.env);
  const verdict = (input.purpose === "deploy" ? deployVerdict : destroyVerdict)({ stage: input.stage, owner, branch });
  if (!verdict.ok) throw new StageOwnershipError(verdict.message);
}
