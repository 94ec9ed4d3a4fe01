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

interface IssueComment {
  id: number;
  body?: string | null;
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
  const comments = await client.pages<IssueComment>(
    `/repos/${client.repository}/issues/${pullRequest}/comments`,
    (page) => {
      if (!Array.isArray(page)) throw new Error(`GitHub returned no comment list for #${pullRequest}.`);
      return page as IssueComment[];
    },
  );
  const existing = comments.find((comment) => comment.body?.includes(PREVIEW_COMMENT_MARKER));
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
