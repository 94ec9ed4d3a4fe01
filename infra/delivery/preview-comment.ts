// The one pull-request comment that announces a preview: found by a hidden marker, created once, then edited in place.
import { APP_NAME } from "../runtime.ts";
import type { GitHubClient } from "./github-api.ts";

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
  const comments = await client.pages<IssueComment>(
    `/repos/${client.repository}/issues/${pullRequest}/comments`,
    (page) => {
      if (!Array.isArray(page)) throw new Error(`GitHub returned no comment list for #${pullRequest}.`);
      return page as IssueComment[];
    },
  );
  return comments.find((comment) => comment.body?.includes(PREVIEW_COMMENT_MARKER));
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
    await client.request("PATCH", `/repos/${client.repository}/issues/comments/${existing.id}`, { body });
    return { action: "updated", id: existing.id };
  }
  const created = await client.request<IssueComment>(
    "POST",
    `/repos/${client.repository}/issues/${pullRequest}/comments`,
    { body },
  );
  return { action: "created", id: created.id };
}

/** Edits our comment, if the pull request has one; a pull request that never announced a preview gets none. */
export async function retirePreviewComment(client: GitHubClient, pullRequest: number, body: string): Promise<boolean> {
  const existing = await findPreviewComment(client, pullRequest);
  if (!existing) return false;
  await client.request("PATCH", `/repos/${client.repository}/issues/comments/${existing.id}`, { body });
  return true;
}
