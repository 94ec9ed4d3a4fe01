// The one pull-request comment that announces a preview: found by a hidden marker, created once, then edited in place.
import { APP_NAME } from "../core/runtime.ts";
import type { GitHubClient } from "../vendors/github-api.ts";

/** Identifies our comment among all others on the pull request; one per app, so a monorepo's apps do not clash. */
export const PREVIEW_COMMENT_MARKER = `<!-- ${APP_NAME}:preview-environment -->`;

export interface PreviewAnnouncement {
  stage: string;
  url: string;
  commit: string;
}

export function renderPreviewComment({ stage, url, commit }: PreviewAnnouncement): string {
  return [
    PREVIEW_COMMENT_MARKER,
    "### Preview environment",
    "",
    "| | |",
    "| --- | --- |",
    `| URL | ${url} |`,
    `| Stage | \`${stage}\` |`,
    `| Commit | ${commit} |`,
    "",
    "Updated on every push to this branch. Destroyed when the pull request is closed or the branch is deleted.",
  ].join("\n");
}

/** What the comment says once the preview is destroyed: the same comment, edited, so the link is not left dangling. */
export function renderRetiredComment({ stage, reason }: { stage: string; reason: string }): string {
  return [
    PREVIEW_COMMENT_MARKER,
    "### Preview environment",
    "",
    `The preview stage \`${stage}\` is gone: ${reason}. Its URL no longer answers.`,
    "",
    "Pushing to the branch again deploys a new preview.",
  ].join("\n");
}

interface IssueComment {
  id: number;
  body?: string | null;
}

/** Our comment on the pull request (found by its marker), if there is one. */
async function findPreviewComment(client: GitHubClient, pullRequest: number): Promise<IssueComment | undefined> {
  const comments = await client.call("GET issue comments", async (octokit) => {
    const all: IssueComment[] = [];
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      ...client.repo,
      issue_number: pullRequest,
      per_page: 100,
    });
    for await (const page of pages) all.push(...page.data);
    return all;
  });
  return comments.find((comment) => comment.body?.includes(PREVIEW_COMMENT_MARKER));
}

function editComment(client: GitHubClient, id: number, body: string) {
  return client.call("PATCH issue comment", (octokit) =>
    octokit.rest.issues.updateComment({ ...client.repo, comment_id: id, body }),
  );
}

/**
 * Edits the comment that carries the marker, or creates it. Finding it by marker rather than by an
 * id kept in alchemy's state means a lost state, a re-run or a second workflow never adds a second one.
 */
export async function upsertPreviewComment(
  client: GitHubClient,
  pullRequest: number,
  body: string,
): Promise<{ action: "created" | "updated"; id: number }> {
  const existing = await findPreviewComment(client, pullRequest);
  if (existing) {
    await editComment(client, existing.id, body);
    return { action: "updated", id: existing.id };
  }
  const { data } = await client.call("POST issue comment", (octokit) =>
    octokit.rest.issues.createComment({ ...client.repo, issue_number: pullRequest, body }),
  );
  return { action: "created", id: data.id };
}

/** Edits our comment, if the pull request has one; a pull request that never announced a preview gets none. */
export async function retirePreviewComment(client: GitHubClient, pullRequest: number, body: string): Promise<boolean> {
  const existing = await findPreviewComment(client, pullRequest);
  if (!existing) return false;
  await editComment(client, existing.id, body);
  return true;
}
