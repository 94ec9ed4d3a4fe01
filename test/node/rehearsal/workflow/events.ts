// What GitHub Actions puts in the environment and the `github` context for the events the delivery workflows handle.

export const REPOSITORY = "acme/stateful-api";
export const DEFAULT_BRANCH = "main";

export interface GitHubEvent {
  name: "push" | "pull_request" | "delete" | "workflow_dispatch";
  ref: string;
  sha: string;
  headRef: string;
  baseRef: string;
  payload: Record<string, unknown>;
  /** A dispatch's inputs (`inputs.*`). */
  inputs?: Record<string, string>;
}

const repository = { full_name: REPOSITORY, default_branch: DEFAULT_BRANCH };

export function pushEvent(branch: string, sha: string): GitHubEvent {
  return {
    name: "push",
    ref: `refs/heads/${branch}`,
    sha,
    headRef: "",
    baseRef: "",
    payload: { ref: `refs/heads/${branch}`, after: sha, repository },
  };
}

export function pullRequestEvent(
  action: "opened" | "closed",
  number: number,
  branch: string,
  headSha: string,
): GitHubEvent {
  const pullRequest = {
    number,
    head: { ref: branch, sha: headSha, repo: { full_name: REPOSITORY } },
    base: { ref: DEFAULT_BRANCH, repo: { full_name: REPOSITORY } },
  };
  return {
    name: "pull_request",
    ref: `refs/pull/${number}/merge`,
    sha: `${headSha.slice(0, 20)}${"m".repeat(20)}`, // the merge commit GitHub builds
    headRef: branch,
    baseRef: DEFAULT_BRANCH,
    payload: { action, number, pull_request: pullRequest, repository },
  };
}

/** "Run workflow" on a branch with these inputs: the run's commit is the branch's head. */
export function dispatchEvent(branch: string, sha: string, inputs: Record<string, string>): GitHubEvent {
  return {
    name: "workflow_dispatch",
    ref: `refs/heads/${branch}`,
    sha,
    headRef: "",
    baseRef: "",
    payload: { ref: `refs/heads/${branch}`, inputs, repository },
    inputs,
  };
}

/** A branch delete runs on the default branch; the deleted branch is only in the payload. */
export function deleteEvent(branch: string, defaultBranchSha: string): GitHubEvent {
  return {
    name: "delete",
    ref: `refs/heads/${DEFAULT_BRANCH}`,
    sha: defaultBranchSha,
    headRef: "",
    baseRef: "",
    payload: { ref: branch, ref_type: "branch", repository },
  };
}

const refName = (ref: string) => ref.replace(/^refs\/(heads|tags)\//, "").replace(/^refs\/pull\//, "");

/** The default variables of every step (https://docs.github.com/actions/reference/variables-reference). */
export function defaultVariables(event: GitHubEvent, apiUrl: string): Record<string, string> {
  return {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: event.name,
    GITHUB_REF: event.ref,
    GITHUB_REF_NAME: refName(event.ref),
    GITHUB_REF_TYPE: "branch",
    GITHUB_HEAD_REF: event.headRef,
    GITHUB_BASE_REF: event.baseRef,
    GITHUB_SHA: event.sha,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REPOSITORY_OWNER: REPOSITORY.split("/")[0] as string,
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: String(Date.now()),
    GITHUB_RUN_ATTEMPT: "1",
    RUNNER_OS: "Linux",
  };
}

export function githubContext(event: GitHubEvent, token: string): Record<string, unknown> {
  return {
    event_name: event.name,
    event: event.payload,
    ref: event.ref,
    ref_name: refName(event.ref),
    head_ref: event.headRef,
    base_ref: event.baseRef,
    sha: event.sha,
    repository: REPOSITORY,
    token,
  };
}
