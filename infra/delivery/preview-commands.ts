// The preview commands the workflows run while holding a stage's lock: `stage:gate` (deploy, destroy or leave it),
// `stage:retire` (announce a destroyed preview) and `sweep:environments`. I/O comes in through CliDeps.
import { gitHubEnvironment } from "../core/names.ts";
import { assertValidStage, isPreviewStage } from "../core/stage.ts";
import { actingBranch, deployVerdict, destroyVerdict, readStageOwner } from "../stage-ownership.ts";
import { cloudflareClientFromEnv, loadInventory } from "../vendors/cloudflare-api.ts";
import {
  branchExists,
  deactivateDeployments,
  deleteEnvironment,
  type GitHubClient,
  gitHubClientFromEnv,
  listBranches,
  listEnvironments,
  pullRequestIsOpen,
  pullRequestsOfBranch,
} from "../vendors/github-api.ts";
import { appendSummary, reportError, setOutputs } from "../vendors/github-outputs.ts";
import { parsePullRequest } from "./announce.ts";
import type { CliDeps } from "./commands.ts";
import { renderRetiredComment, retirePreviewComment } from "./preview-comment.ts";
import { deployedStages, liveOwner, staleEnvironments } from "./sweep.ts";

export const GATE_PURPOSES = ["deploy", "teardown", "sweep", "destroy"] as const;
export type GatePurpose = (typeof GATE_PURPOSES)[number];

export interface GateDecision {
  action: "deploy" | "destroy" | "skip" | "refuse";
  /** The branch the deploy or destroy acts for (STAGE_BRANCH of the next steps); "" when none is known. */
  branch: string;
  message: string;
}

export interface GateInput {
  purpose: GatePurpose;
  stage: string;
  /** The recorded owner of the stage, if any. */
  owner: string | undefined;
  /** The branch this run acts for (the pushed one, the deleted one, the one a dispatch ran from). */
  branch: string | undefined;
  branchExists: (branch: string) => Promise<boolean>;
  /** GITHUB_EVENT_NAME of the run. */
  event: string | undefined;
  /** For a run started by a pull request event: is that pull request open now? */
  pullRequestOpen?: () => Promise<boolean>;
  /** For the sweeper: the live branches (only read when no owner is recorded). */
  liveBranches: () => Promise<{ branches: string[]; defaultBranch: string }>;
}

const destroyAs = (branch: string | undefined, message: string): GateDecision => ({
  action: "destroy",
  branch: branch ?? "",
  message,
});

/**
 * Decided once the job holds the stage's concurrency group, so it sees what happened while it waited. GitHub keeps
 * one pending run per group and drops the older one: a teardown can be replaced by a deploy queued after it. So a
 * deploy whose branch is gone (or whose pull request closed) tears the preview down instead of deploying.
 */
export async function decideGate(input: GateInput): Promise<GateDecision> {
  const { purpose, stage, owner, branch } = input;
  const verdict = destroyVerdict({ stage, owner, branch });
  switch (purpose) {
    case "deploy": {
      if (!isPreviewStage(stage)) return { action: "deploy", branch: branch ?? "", message: `Deploying ${stage}.` };
      const gone = !branch || !(await input.branchExists(branch));
      const closed = !gone && input.pullRequestOpen !== undefined && !(await input.pullRequestOpen());
      if (gone || closed) {
        const why = gone ? `branch "${branch}" no longer exists` : "its pull request is closed";
        if (!verdict.ok)
          return { action: "skip", branch: branch ?? "", message: `Not deploying: ${why}. ${verdict.message}` };
        return destroyAs(
          branch,
          `Not deploying ${stage}: ${why}. Tearing the preview down instead (a teardown queued for it may have been replaced by this run).`,
        );
      }
      const deploy = deployVerdict({ stage, owner, branch });
      if (!deploy.ok) return { action: "refuse", branch, message: deploy.message };
      return { action: "deploy", branch, message: `Deploying ${stage} for branch "${branch}".` };
    }
    case "teardown": {
      if (!verdict.ok) return { action: "skip", branch: branch ?? "", message: verdict.message };
      // A branch deleted, then pushed again before this ran, has a new preview: not this teardown's to remove.
      if (branch && input.event === "delete" && (await input.branchExists(branch))) {
        return {
          action: "skip",
          branch,
          message: `Branch "${branch}" exists again: its preview ${stage} is left alone.`,
        };
      }
      // Likewise a pull request reopened meanwhile: its deploy may already have run, and dropped this teardown's twin.
      if (input.pullRequestOpen && (await input.pullRequestOpen())) {
        return {
          action: "skip",
          branch: branch ?? "",
          message: `The pull request was reopened: ${stage} is left alone.`,
        };
      }
      return destroyAs(branch, `Tearing down ${stage} of branch "${branch}".`);
    }
    case "sweep": {
      const live = owner
        ? (await input.branchExists(owner))
          ? owner
          : undefined
        : liveOwner(stage, undefined, await input.liveBranches());
      if (live)
        return {
          action: "skip",
          branch: live,
          message: `Stage ${stage} belongs to branch "${live}", which exists: left alone.`,
        };
      return destroyAs(owner, `Sweeping ${stage}${owner ? ` (its branch "${owner}" is gone)` : ""}.`);
    }
    case "destroy": {
      if (verdict.ok) return destroyAs(branch, `Destroying ${stage}.`);
      if (owner && (await input.branchExists(owner))) {
        return {
          action: "refuse",
          branch: branch ?? "",
          message: `${verdict.message} Branch "${owner}" still exists: delete it or close its pull request, or dispatch this destroy from it.`,
        };
      }
      return destroyAs(owner, `Destroying ${stage}: its branch "${owner}" is gone.`);
    }
  }
}

function gitHub(deps: CliDeps): GitHubClient {
  return gitHubClientFromEnv(deps.env, deps.fetch);
}

export async function gateCommand(values: { for?: string; stage?: string }, deps: CliDeps): Promise<number> {
  const purpose = values.for as GatePurpose;
  const stage = assertValidStage(values.stage ?? "");
  const { owner } = await readStageOwner(cloudflareClientFromEnv(deps.env, deps.fetch), stage);
  const client = gitHub(deps);
  // Pull request events alone name the pull request that started the run (EVENT_PULL_REQUEST); a push has none.
  const pullRequest = parsePullRequest(deps.env.EVENT_PULL_REQUEST);
  const decision = await decideGate({
    purpose,
    stage,
    owner,
    branch: actingBranch(deps.env),
    event: deps.env.GITHUB_EVENT_NAME,
    branchExists: (branch) => branchExists(client, branch),
    pullRequestOpen:
      pullRequest === undefined || !["deploy", "teardown"].includes(purpose)
        ? undefined
        : () => pullRequestIsOpen(client, pullRequest),
    liveBranches: async () => ({
      branches: await listBranches(client),
      defaultBranch: deps.env.DEFAULT_BRANCH || "main",
    }),
  });
  if (decision.action === "refuse") {
    reportError(deps.env, decision.message);
    return 1;
  }
  setOutputs({ action: decision.action, branch: decision.branch });
  deps.log(
    decision.action === "skip" && deps.env.GITHUB_ACTIONS === "true"
      ? `::notice::${decision.message}`
      : decision.message,
  );
  await appendSummary(decision.message);
  deps.out(decision.action);
  return 0;
}

function retireReason(env: CliDeps["env"], branch: string | undefined): string {
  const name = branch ? `branch \`${branch}\`` : "its branch";
  if (env.GITHUB_EVENT_NAME === "delete") return `${name} was deleted`;
  if (env.GITHUB_EVENT_NAME === "pull_request") return "the pull request was closed";
  if (env.GITHUB_EVENT_NAME === "schedule") return `the sweeper found ${name} gone`;
  if (env.GITHUB_EVENT_NAME === "workflow_dispatch") return "it was destroyed by hand";
  return `${name} went away while a deploy waited for the stage`;
}

/** After a verified destroy: the stage's deployments become inactive, the pull request comment says it is gone. */
export async function retireCommand(values: { stage?: string }, deps: CliDeps): Promise<number> {
  const stage = assertValidStage(values.stage ?? "");
  const client = gitHub(deps);
  const branch = actingBranch(deps.env);
  const deactivated = await deactivateDeployments(client, gitHubEnvironment(stage));
  const explicit = parsePullRequest(deps.env.PULL_REQUEST);
  const pulls = explicit !== undefined ? [explicit] : branch ? await pullRequestsOfBranch(client, branch) : [];
  const body = renderRetiredComment({ stage, reason: retireReason(deps.env, branch) });
  const edited: number[] = [];
  for (const number of pulls) if (await retirePreviewComment(client, number, body)) edited.push(number);
  const message = [
    `Stage ${stage}: ${deactivated} deployment(s) marked inactive`,
    edited.length ? `preview comment edited on ${edited.map((n) => `#${n}`).join(", ")}` : "no preview comment to edit",
  ].join("; ");
  deps.log(message);
  await appendSummary(message);
  return 0;
}

/**
 * Removes `preview-*` environments whose stage is gone and whose branch is gone. Listing works with GITHUB_TOKEN;
 * deleting needs SWEEPER_GITHUB_TOKEN, a token with administration rights (docs/previews.md). Without it, or when
 * GitHub refuses it, the command names what it left and still exits 0: nothing is wrong with the previews.
 */
export async function sweepEnvironmentsCommand(values: { "dry-run"?: boolean }, deps: CliDeps): Promise<number> {
  const client = gitHub(deps);
  const [environments, branches, inventory] = await Promise.all([
    listEnvironments(client),
    listBranches(client),
    loadInventory(deps.env, deps.fetch),
  ]);
  const candidates = staleEnvironments({
    environments,
    branches,
    defaultBranch: deps.env.DEFAULT_BRANCH || "main",
    deployed: deployedStages(inventory),
  });
  const notice = (line: string) => deps.log(deps.env.GITHUB_ACTIONS === "true" ? `::notice::${line}` : line);
  if (candidates.length === 0) {
    deps.log("No preview environment to remove.");
    return 0;
  }
  if (values["dry-run"] || !deps.env.SWEEPER_GITHUB_TOKEN) {
    const why = values["dry-run"] ? "dry run" : "no SWEEPER_GITHUB_TOKEN (GITHUB_TOKEN cannot delete environments)";
    notice(`Preview environments left (${why}): ${candidates.join(", ")}`);
    await appendSummary(`Preview environments left (${why}): ${candidates.join(", ")}`);
    return 0;
  }
  const admin = gitHubClientFromEnv({ ...deps.env, GITHUB_TOKEN: deps.env.SWEEPER_GITHUB_TOKEN }, deps.fetch);
  const removed: string[] = [];
  const refused: string[] = [];
  for (const environment of candidates) {
    const result = await deleteEnvironment(admin, environment);
    (result === "forbidden" ? refused : removed).push(environment);
  }
  const lines = [
    removed.length ? `Removed preview environments: ${removed.join(", ")}` : "",
    refused.length
      ? `Could not remove (GitHub refused SWEEPER_GITHUB_TOKEN; it needs administration rights): ${refused.join(", ")}`
      : "",
  ].filter(Boolean);
  for (const line of lines) (line.startsWith("Could not") ? notice : deps.log)(line);
  await appendSummary(lines.join("\n\n"));
  return 0;
}
