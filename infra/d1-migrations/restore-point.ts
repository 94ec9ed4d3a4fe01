// How a Time Travel bookmark is shown to the person who may need it: the exact commands that restore it.

export interface RestorePoint {
  stage: string;
  databaseName: string;
  databaseId: string;
  bookmark: string;
}

/** Bookmarks are opaque but printable (`00000085-0000024c-00004c6d-8e61…`); anything else is refused before it reaches a shell line. */
const BOOKMARK = /^[A-Za-z0-9-]+$/;

export function restoreCommands({ databaseName, databaseId, bookmark }: RestorePoint): string[] {
  if (!BOOKMARK.test(bookmark)) throw new Error(`Unexpected Time Travel bookmark format: ${JSON.stringify(bookmark)}`);
  return [
    `npx wrangler d1 time-travel restore ${databaseName} --bookmark=${bookmark}`,
    `curl -X POST "https://api.cloudflare.com/client/v4/accounts/$CLOUDFLARE_ACCOUNT_ID/d1/database/${databaseId}/time_travel/restore?bookmark=${bookmark}" -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN"`,
  ];
}

/** For the deploy log. */
export function restorePointText(point: RestorePoint, pending: number): string {
  const [wrangler, curl] = restoreCommands(point);
  return [
    `D1 restore point for stage ${point.stage} (${point.databaseName}), before ${pending} pending migration(s): ${point.bookmark}`,
    "To put the database back as it was before this deploy (docs/data-safety.md, runbook):",
    `  ${wrangler}`,
    `  or: ${curl}`,
  ].join("\n");
}

/** For the GitHub job summary. */
export function restorePointMarkdown(point: RestorePoint, pending: number): string {
  const [wrangler, curl] = restoreCommands(point);
  return [
    `### D1 restore point: stage \`${point.stage}\``,
    "",
    `Recorded before ${pending} pending migration(s) on \`${point.databaseName}\`: \`${point.bookmark}\``,
    "",
    "To put the database back as it was before this deploy (see docs/data-safety.md):",
    "",
    "```sh",
    wrangler,
    "# or, with the API:",
    curl,
    "```",
  ].join("\n");
}
