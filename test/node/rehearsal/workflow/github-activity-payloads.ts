// The GitHub double's response bodies for what happens in the repository (pull requests, comments, environments,
// deployments), built whole as GitHub sends them: test/node/vendor-contracts checks them against GitHub's description.
import { nodeId, repository, repoUrl, type Site, STAMP, user, web } from "./github-repository-payloads.ts";

export interface PullFacts {
  number: number;
  branch: string;
  state: "open" | "closed";
}

function pullBase(site: Site, { number, branch: ref, state }: PullFacts) {
  const url = `${repoUrl(site)}/pulls/${number}`;
  const issue = `${repoUrl(site)}/issues/${number}`;
  const html = `${web}/${site.owner}/${site.repo}/pull/${number}`;
  const sha = "0".repeat(40);
  const side = (label: string, name: string) => ({
    label: `${site.owner}:${label}`,
    ref: name,
    sha,
    user: user(site, site.owner),
    repo: repository(site),
  });
  return {
    url,
    id: 1000 + number,
    node_id: nodeId("PullRequest", number),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${repoUrl(site)}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${repoUrl(site)}/statuses/${sha}`,
    number,
    state,
    locked: false,
    title: `Pull request from ${ref}`,
    user: user(site, site.owner),
    body: null,
    labels: [],
    milestone: null,
    created_at: STAMP,
    updated_at: STAMP,
    closed_at: state === "closed" ? STAMP : null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    head: side(ref, ref),
    base: side("main", "main"),
    _links: Object.fromEntries(
      [
        ["self", url],
        ["html", html],
        ["issue", issue],
        ["comments", `${issue}/comments`],
        ["review_comments", `${url}/comments`],
        ["review_comment", `${repoUrl(site)}/pulls/comments{/number}`],
        ["commits", `${url}/commits`],
        ["statuses", `${repoUrl(site)}/statuses/${sha}`],
      ].map(([key, href]) => [key, { href }]),
    ),
    author_association: "OWNER",
    auto_merge: null,
  };
}

export const pullRequestSimple = (site: Site, facts: PullFacts) => pullBase(site, facts);

export function pullRequest(site: Site, facts: PullFacts) {
  return {
    ...pullBase(site, facts),
    merged: false,
    mergeable: true,
    mergeable_state: "clean",
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 0,
    changed_files: 1,
  };
}

export function issueComment(site: Site, { id, body, issue }: { id: number; body: string; issue: number }) {
  return {
    id,
    node_id: nodeId("IssueComment", id),
    url: `${repoUrl(site)}/issues/comments/${id}`,
    html_url: `${web}/${site.owner}/${site.repo}/pull/${issue}#issuecomment-${id}`,
    issue_url: `${repoUrl(site)}/issues/${issue}`,
    body,
    user: user(site),
    author_association: "NONE",
    created_at: STAMP,
    updated_at: STAMP,
  };
}

export function environment(site: Site, name: string, id: number) {
  return {
    id,
    node_id: nodeId("Environment", id),
    name,
    url: `${repoUrl(site)}/environments/${encodeURIComponent(name)}`,
    html_url: `${web}/${site.owner}/${site.repo}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
    created_at: STAMP,
    updated_at: STAMP,
  };
}

export function deployment(
  site: Site,
  { id, sha, environment: name }: { id: number; sha: string; environment: string },
) {
  const url = `${repoUrl(site)}/deployments/${id}`;
  return {
    url,
    id,
    node_id: nodeId("Deployment", id),
    sha,
    ref: sha,
    task: "deploy",
    payload: {},
    environment: name,
    description: null,
    creator: user(site),
    created_at: STAMP,
    updated_at: STAMP,
    statuses_url: `${url}/statuses`,
    repository_url: repoUrl(site),
  };
}

export function deploymentStatus(
  site: Site,
  { id, deployment: of, state }: { id: number; deployment: number; state: string },
) {
  const deploymentUrl = `${repoUrl(site)}/deployments/${of}`;
  return {
    url: `${deploymentUrl}/statuses/${id}`,
    id,
    node_id: nodeId("DeploymentStatus", id),
    state,
    creator: user(site),
    description: "",
    target_url: `${web}/${site.owner}/${site.repo}/actions/runs/1`,
    deployment_url: deploymentUrl,
    repository_url: repoUrl(site),
    created_at: STAMP,
    updated_at: STAMP,
  };
}
