// The few GitHub REST calls the delivery scripts make, through GITHUB_API_URL (GitHub Enterprise, test doubles).
type Env = Readonly<Record<string, string | undefined>>;
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";
const PAGE_SIZE = 100;
const MAX_PAGES = 100;

export interface GitHubClient {
  /** `owner/name`, from GITHUB_REPOSITORY. */
  readonly repository: string;
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Every item of a paginated listing; `items` picks the array out of one page. */
  pages<T>(path: string, items: (page: unknown) => T[]): Promise<T[]>;
}

export function gitHubClientFromEnv(env: Env, fetchImpl: Fetch = fetch): GitHubClient {
  const missing = ["GITHUB_TOKEN", "GITHUB_REPOSITORY"].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `GitHub calls need ${missing.join(" and ")} (in a workflow: env GITHUB_TOKEN: \${{ github.token }}).`,
    );
  }
  const baseUrl = (env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL).replace(/\/+$/, "");
  const headers = {
    accept: "application/vnd.github+json",
    authorization: `Bearer ${env.GITHUB_TOKEN}`,
    "user-agent": "stateful-api-delivery",
    "x-github-api-version": "2022-11-28",
  };

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetchImpl(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((error: Error) => {
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
      throw new Error(`GitHub API at ${baseUrl} unreachable (${method} ${path}): ${error.message}${cause}`);
    });
    if (!response.ok) {
      const text = (await response.text()).slice(0, 300);
      throw new GitHubApiError(`GitHub ${method} ${path} failed with ${response.status}: ${text}`, response.status);
    }
    // Some answers have no body (204 after a DELETE).
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function pages<T>(path: string, items: (page: unknown) => T[]): Promise<T[]> {
    const all: T[] = [];
    const separator = path.includes("?") ? "&" : "?";
    for (let page = 1; page <= MAX_PAGES; page++) {
      const batch = items(await request<unknown>("GET", `${path}${separator}per_page=${PAGE_SIZE}&page=${page}`));
      all.push(...batch);
      if (batch.length < PAGE_SIZE) return all;
    }
    throw new Error(`GitHub GET ${path}: more than ${MAX_PAGES} pages; refusing to guess.`);
  }

  return { repository: env.GITHUB_REPOSITORY as string, request, pages };
}

function arrayOf(page: unknown, what: string): unknown[] {
  if (!Array.isArray(page)) throw new Error(`GitHub returned something other than a list of ${what}.`);
  return page;
}

function nameOf(item: unknown): string {
  const name = (item as { name?: unknown } | null)?.name;
  if (typeof name !== "string") throw new Error("GitHub returned an item without a name.");
  return name;
}

export async function listBranches(client: GitHubClient): Promise<string[]> {
  return client.pages(`/repos/${client.repository}/branches`, (page) => arrayOf(page, "branches").map(nameOf));
}

export async function listEnvironments(client: GitHubClient): Promise<string[]> {
  return client.pages(`/repos/${client.repository}/environments`, (page) =>
    arrayOf((page as { environments?: unknown } | null)?.environments ?? [], "environments").map(nameOf),
  );
}

export async function defaultBranch(client: GitHubClient): Promise<string> {
  const repo = await client.request<{ default_branch?: unknown }>("GET", `/repos/${client.repository}`);
  if (typeof repo.default_branch !== "string") throw new Error("GitHub did not report the default branch.");
  return repo.default_branch;
}

/** The open pull request whose head is this branch of this repository (never a fork's), if any. */
export async function findOpenPullRequest(client: GitHubClient, branch: string): Promise<number | undefined> {
  const owner = client.repository.split("/")[0];
  const head = encodeURIComponent(`${owner}:${branch}`);
  const pulls = await client.request<unknown>("GET", `/repos/${client.repository}/pulls?state=open&head=${head}`);
  const number = (arrayOf(pulls, "pull requests")[0] as { number?: unknown } | undefined)?.number;
  return typeof number === "number" ? number : undefined;
}

/** The full commit SHA a branch, tag or (short) SHA names in this repository. */
export async function resolveCommit(client: GitHubClient, ref: string): Promise<string> {
  const commit = await client.request<{ sha?: unknown }>(
    "GET",
    `/repos/${client.repository}/commits/${encodeURIComponent(ref)}`,
  );
  if (typeof commit.sha !== "string" || !/^[0-9a-f]{40}$/.test(commit.sha)) {
    throw new Error(`GitHub did not resolve ${ref} to a commit.`);
  }
  return commit.sha;
}

/**
 * Was this commit once released to the environment: a GitHub deployment of it there whose job succeeded? The deploy
 * jobs end with the probe, so a successful deployment passed CI (staging and prod need it) and the probe.
 */
export async function wasDeployedSuccessfully(
  client: GitHubClient,
  environment: string,
  sha: string,
): Promise<boolean> {
  const query = `sha=${sha}&environment=${encodeURIComponent(environment)}`;
  const deployments = await client.pages(`/repos/${client.repository}/deployments?${query}`, (page) =>
    arrayOf(page, "deployments").map((item) => (item as { id?: unknown }).id),
  );
  for (const id of deployments.filter((value): value is number => typeof value === "number")) {
    const statuses = await client.pages(`/repos/${client.repository}/deployments/${id}/statuses`, (page) =>
      arrayOf(page, "deployment statuses").map((item) => (item as { state?: unknown }).state),
    );
    if (statuses.includes("success")) return true;
  }
  return false;
}

// Previews: ownership re-checks, teardown announcements and the sweeper's environment cleanup (docs/previews.md).

/** A refusal from the GitHub API, with its HTTP status so callers can tell "not found" from a failure. */
export class GitHubApiError extends Error {
  override name = "GitHubApiError";
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

const isStatus = (error: unknown, ...statuses: number[]) =>
  error instanceof GitHubApiError && statuses.includes(error.status);

/** False once the branch is deleted (404). */
export async function branchExists(client: GitHubClient, branch: string): Promise<boolean> {
  try {
    await client.request("GET", `/repos/${client.repository}/branches/${encodeURIComponent(branch)}`);
    return true;
  } catch (error) {
    if (isStatus(error, 404)) return false;
    throw error;
  }
}

export async function pullRequestIsOpen(client: GitHubClient, number: number): Promise<boolean> {
  const pull = await client.request<{ state?: unknown }>("GET", `/repos/${client.repository}/pulls/${number}`);
  return pull.state === "open";
}

/** Every pull request (open or closed) whose head is this branch of this repository, newest first. */
export async function pullRequestsOfBranch(client: GitHubClient, branch: string): Promise<number[]> {
  const owner = client.repository.split("/")[0];
  const head = encodeURIComponent(`${owner}:${branch}`);
  const pulls = await client.pages(`/repos/${client.repository}/pulls?state=all&head=${head}`, (page) =>
    arrayOf(page, "pull requests"),
  );
  return pulls.flatMap((pull) => {
    const number = (pull as { number?: unknown } | null)?.number;
    return typeof number === "number" ? [number] : [];
  });
}

/** Marks every deployment recorded in the environment inactive; returns how many there were. */
export async function deactivateDeployments(client: GitHubClient, environment: string): Promise<number> {
  const deployments = await client.pages(
    `/repos/${client.repository}/deployments?environment=${encodeURIComponent(environment)}`,
    (page) => arrayOf(page, "deployments"),
  );
  for (const deployment of deployments) {
    const id = (deployment as { id?: unknown } | null)?.id;
    if (typeof id !== "number") throw new Error("GitHub returned a deployment without an id.");
    await client.request("POST", `/repos/${client.repository}/deployments/${id}/statuses`, { state: "inactive" });
  }
  return deployments.length;
}

/**
 * Deletes a GitHub environment (and its deployments). GitHub allows this only to a token with administration
 * rights on the repository, which GITHUB_TOKEN never has: "forbidden" tells the caller to say so and move on.
 */
export async function deleteEnvironment(
  client: GitHubClient,
  environment: string,
): Promise<"deleted" | "gone" | "forbidden"> {
  try {
    await client.request("DELETE", `/repos/${client.repository}/environments/${encodeURIComponent(environment)}`);
    return "deleted";
  } catch (error) {
    if (isStatus(error, 404)) return "gone";
    if (isStatus(error, 401, 403)) return "forbidden";
    throw error;
  }
}
