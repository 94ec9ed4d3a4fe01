// After a deploy: tell GitHub where the stage lives (step outputs, job summary, the pull request's comment).
import { gitHubEnvironment } from "../core/names.ts";
import { type Fetch, gitHubClientFromEnv } from "../vendors/github-api.ts";
import { appendSummary, setOutputs } from "../vendors/github-outputs.ts";
import { renderPreviewComment, upsertPreviewComment } from "./preview-comment.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** PULL_REQUEST as the workflow sets it: empty when the branch has no open pull request. */
export function parsePullRequest(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`PULL_REQUEST must be a pull request number, got "${value}".`);
  return Number(value);
}

/** The commit being deployed: COMMIT_SHA when the workflow checked out another commit than GITHUB_SHA. */
export function deployedCommit(env: Env): string {
  return env.COMMIT_SHA || env.GITHUB_SHA || "local";
}

export interface DeployAnnouncement {
  env: Env;
  stage: string;
  url: string | undefined;
}

export async function announceDeploy({ env, stage, url }: DeployAnnouncement, fetchImpl: Fetch = fetch) {
  const shownUrl = url ?? "(no URL)";
  const commit = deployedCommit(env);
  setOutputs({ stage, url: url ?? "", environment: gitHubEnvironment(stage) });
  await appendSummary(`Deployed stage \`${stage}\` (commit ${commit}): ${shownUrl}`);

  const pullRequest = parsePullRequest(env.PULL_REQUEST);
  if (pullRequest === undefined) return;
  const client = gitHubClientFromEnv(env, fetchImpl);
  const body = renderPreviewComment({ stage, url: shownUrl, commit });
  const { action } = await upsertPreviewComment(client, pullRequest, body);
  console.log(`Pull request #${pullRequest}: preview comment ${action}.`);
}
