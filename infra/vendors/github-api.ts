// The GitHub REST calls the delivery scripts make, through GitHub's official client (Octokit), built from the
// environment: GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL (GitHub Enterprise, the rehearsal's double).
import { Octokit } from "@octokit/rest";
import { APP_NAME } from "../core/runtime.ts";

type Env = Readonly<Record<string, string | undefined>>;
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const PAGE_SIZE = 100;
const MAX_PAGES = 100;

export interface GitHubClient {
  /** `owner/name`, from GITHUB_REPOSITORY. */
  readonly repository: string;
  /** `{ owner, repo }`, the parameters every repository call takes. */
  readonly repo: { owner: string; repo: string };
  /**
   * Runs Octokit calls for `what` (e.g. "GET branches"). A refusal becomes a GitHubApiError with GitHub's status and
   * message, an unreachable API a plain Error naming the base URL; neither carries the token.
   */
  call<T>(what: string, run: (octokit: Octokit) => Promise<T>): Promise<T>;
}

/** A refusal from the GitHub API, with its HTTP status so callers can tell "not found" from a failure. */
export class GitHubApiError extends Error {
  override name = "GitHubApiError";
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

export function gitHubClientFromEnv(env: Env, fetchImpl?: Fetch): GitHubClient {
  const missing = ["GITHUB_TOKEN", "GITHUB_REPOSITORY"].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `GitHub calls need ${missing.join(" and ")} (in a workflow: env GITHUB_TOKEN: \${{ github.token }}).`,
    );
  }
  const repository = env.GITHUB_REPOSITORY as string;
  const [owner, repo] = repository.split("/");
  if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY must be owner/name, got "${repository}".`);
  const baseUrl = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  const octokit = new Octokit({
    auth: env.GITHUB_TOKEN,
    baseUrl,
    userAgent: `${APP_NAME}-delivery`,
    // Octokit's default log prints deprecation notices with request details; warnings stay, debug never.
    log: { debug: () => {}, info: () => {}, warn: console.warn, error: console.error },
    ...(fetchImpl ? { request: { fetch: fetchImpl } } : {}),
  });
  return {
    repository,
    repo: { owner, repo },
    call: (what, run) => run(octokit).catch((error: unknown) => Promise.reject(vendorError(baseUrl, what, error))),
  };
}

interface OctokitRequestError extends Error {
  status: number;
  response?: { data?: unknown };
}

/** Octokit's RequestError (name "HttpError"); one without a response never reached GitHub. */
function vendorError(baseUrl: string, what: string, error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== "HttpError" || !("status" in error)) return error;
  const failure = error as OctokitRequestError;
  if (failure.response === undefined) {
    return new Error(`GitHub API at ${baseUrl} unreachable (${what}): ${failure.message}`);
  }
  const data = failure.response.data;
  const detail = typeof data === "string" ? data : JSON.stringify(data ?? null);
  return new GitHubApiError(`GitHub ${what} failed with ${failure.status}: ${detail.slice(0, 300)}`, failure.status);
}

/** Every item of a listing, following GitHub's Link headers, bounded so an endless listing is an error. */
async function allPages<T>(what: string, pages: AsyncIterable<{ data: T[] }>): Promise<T[]> {
  const all: T[] = [];
  let count = 0;
  for await (const page of pages) {
    if (++count > MAX_PAGES) throw new Error(`GitHub ${what}: more than ${MAX_PAGES} pages; refusing to guess.`);
    all.push(...page.data);
  }
  return all;
}

const isStatus = (error: unknown, ...statuses: number[]) =>
  error instanceof GitHubApiError && statuses.includes(error.status);

export async function listBranches(client: GitHubClient): Promise<string[]> {
  const branches = await client.call("GET branches", (octokit) =>
    allPages(
      "GET branches",
      octokit.paginate.iterator(octokit.rest.repos.listBranches, { ...client.repo, per_page: PAGE_SIZE }),
    ),
  );
  return branches.map((branch) => branch.name);
}

export async function listEnvironments(client: GitHubClient): Promise<string[]> {
  // Octokit's paginate unwraps `{ total_count, environments }` into the list; its type does not follow (the schema
  // marks `environments` optional), hence the cast.
  const environments = await client.call("GET environments", (octokit) =>
    allPages(
      "GET environments",
      octokit.paginate.iterator(octokit.rest.repos.getAllEnvironments, {
        ...client.repo,
        per_page: PAGE_SIZE,
      }) as AsyncIterable<{ data: { name: string }[] }>,
    ),
  );
  return environments.map((environment) => {
    if (typeof environment?.name !== "string") throw new Error("GitHub returned an environment without a name.");
    return environment.name;
  });
}

export async function defaultBranch(client: GitHubClient): Promise<string> {
  const { data } = await client.call("GET repository", (octokit) => octokit.rest.repos.get(client.repo));
  if (!data.default_branch) throw new Error("GitHub did not report the default branch.");
  return data.default_branch;
}

/** The open pull request whose head is this branch of this repository (never a fork's), if any. */
export async function findOpenPullRequest(client: GitHubClient, branch: string): Promise<number | undefined> {
  const head = `${client.repo.owner}:${branch}`;
  const { data } = await client.call("GET pulls", (octokit) =>
    octokit.rest.pulls.list({ ...client.repo, state: "open", head }),
  );
  return data[0]?.number;
}

/** The full commit SHA a branch, tag or (short) SHA names in this repository. */
export async function resolveCommit(client: GitHubClient, ref: string): Promise<string> {
  const { data } = await client.call("GET commit", (octokit) => octokit.rest.repos.getCommit({ ...client.repo, ref }));
  if (!/^[0-9a-f]{40}$/.test(data.sha)) throw new Error(`GitHub did not resolve ${ref} to a commit.`);
  return data.sha;
}

/** The environment's deployments (of one commit, when given), newest first, every page. */
function deploymentsOf(client: GitHubClient, environment: string, sha?: string) {
  return client.call("GET deployments", (octokit) =>
    allPages(
      "GET deployments",
      octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
        ...client.repo,
        environment,
        ...(sha ? { sha } : {}),
        per_page: PAGE_SIZE,
      }),
    ),
  );
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
  for (const deployment of await deploymentsOf(client, environment, sha)) {
    const statuses = await client.call("GET deployment statuses", (octokit) =>
      allPages(
        "GET deployment statuses",
        octokit.paginate.iterator(octokit.rest.repos.listDeploymentStatuses, {
          ...client.repo,
          deployment_id: deployment.id,
          per_page: PAGE_SIZE,
        }),
      ),
    );
    if (statuses.some((status) => status.state === "success")) return true;
  }
  return false;
}

// Previews: ownership re-checks, teardown announcements and the sweeper's environment cleanup (docs/previews.md).

/** False once the branch is deleted (404). */
export async function branchExists(client: GitHubClient, branch: string): Promise<boolean> {
  try {
    await client.call("GET branch", (octokit) => octokit.rest.repos.getBranch({ ...client.repo, branch }));
    return true;
  } catch (error) {
    if (isStatus(error, 404)) return false;
    throw error;
  }
}

export async function pullRequestIsOpen(client: GitHubClient, number: number): Promise<boolean> {
  const { data } = await client.call("GET pull", (octokit) =>
    octokit.rest.pulls.get({ ...client.repo, pull_number: number }),
  );
  return data.state === "open";
}

/** Every pull request (open or closed) whose head is this branch of this repository, newest first. */
export async function pullRequestsOfBranch(client: GitHubClient, branch: string): Promise<number[]> {
  const head = `${client.repo.owner}:${branch}`;
  const pulls = await client.call("GET pulls", (octokit) =>
    allPages(
      "GET pulls",
      octokit.paginate.iterator(octokit.rest.pulls.list, { ...client.repo, state: "all", head, per_page: PAGE_SIZE }),
    ),
  );
  return pulls.map((pull) => pull.number);
}

/** Marks every deployment recorded in the environment inactive; returns how many there were. */
export async function deactivateDeployments(client: GitHubClient, environment: string): Promise<number> {
  const deployments = await deploymentsOf(client, environment);
  for (const deployment of deployments) {
    await client.call("POST deployment status", (octokit) =>
      octokit.rest.repos.createDeploymentStatus({ ...client.repo, deployment_id: deployment.id, state: "inactive" }),
    );
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
    await client.call("DELETE environment", (octokit) =>
      octokit.rest.repos.deleteAnEnvironment({ ...client.repo, environment_name: environment }),
    );
    return "deleted";
  } catch (error) {
    if (isStatus(error, 404)) return "gone";
    if (isStatus(error, 401, 403)) return "forbidden";
    throw error;
  }
}
