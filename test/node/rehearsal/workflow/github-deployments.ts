// The GitHub double's deployments and commits: what a job with `environment:` records (created when the job starts,
// its status set when it ends), the statuses a teardown posts, and what a rollback reads back.
import { deployment as deploymentPayload, deploymentStatus } from "./github-activity-payloads.ts";
import { commit, type Site } from "./github-repository-payloads.ts";
import type { JobDeployment } from "./run-workflow.ts";

export interface Deployment {
  id: number;
  environment: string;
  sha: string;
  /** Every status posted to it, oldest first. */
  statuses: string[];
  /** The latest status, as GitHub shows it; undefined while its job runs. */
  state: string | undefined;
}

export interface DeploymentsDouble {
  deployments: Deployment[];
  /** The environment's deployments, oldest first. */
  of(environment: string): Deployment[];
  /** Names a commit, as a tag or branch would (a full SHA always names itself). */
  tag(ref: string, sha: string): void;
  /** A job in an environment starts: GitHub creates its deployment; the returned function sets the job's outcome. */
  start(deployment: Omit<JobDeployment, "state">): (state: JobDeployment["state"]) => void;
  /** Answers the routes it knows (lists whole: the double pages them); undefined for any other. */
  route(method: string, url: URL, site: Site, body: unknown): { status: number; body: unknown } | undefined;
}

/** The states GitHub accepts for a deployment status. */
const STATES = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];

export function deploymentsDouble(): DeploymentsDouble {
  const deployments: Deployment[] = [];
  const refs = new Map<string, string>();
  const post = (deployment: Deployment, state: string) => {
    deployment.statuses.push(state);
    deployment.state = state;
  };
  return {
    deployments,
    of: (environment) => deployments.filter((d) => d.environment === environment),
    tag: (ref, sha) => refs.set(ref, sha),
    start({ environment, sha }) {
      const deployment: Deployment = { id: deployments.length + 1, environment, sha, statuses: [], state: undefined };
      deployments.push(deployment);
      return (state) => post(deployment, state);
    },
    route(method, url, site, body) {
      const repo = `/repos/${site.owner}/${site.repo}`;
      const commitRoute = new RegExp(`^${repo}/commits/([^/]+)$`).exec(url.pathname);
      if (commitRoute && method === "GET") {
        const ref = decodeURIComponent(commitRoute[1] as string);
        const sha = refs.get(ref) ?? (/^[0-9a-f]{40}$/.test(ref) ? ref : undefined);
        return sha
          ? { status: 200, body: commit(site, sha) }
          : { status: 422, body: { message: `No commit found for SHA: ${ref}` } };
      }
      if (url.pathname === `${repo}/deployments` && method === "GET") {
        const sha = url.searchParams.get("sha");
        const environment = url.searchParams.get("environment");
        // GitHub lists the newest first.
        const found = deployments
          .filter((d) => (!sha || d.sha === sha) && (!environment || d.environment === environment))
          .reverse();
        return { status: 200, body: found.map((d) => deploymentPayload(site, d)) };
      }
      const statuses = new RegExp(`^${repo}/deployments/(\\d+)/statuses$`).exec(url.pathname);
      if (!statuses) return undefined;
      const deployment = deployments.find((d) => d.id === Number(statuses[1]));
      if (!deployment) return { status: 404, body: { message: "Not Found" } };
      const status = (index: number) =>
        deploymentStatus(site, {
          id: deployment.id * 1000 + index,
          deployment: deployment.id,
          state: deployment.statuses[index] as string,
        });
      if (method === "GET") {
        return { status: 200, body: deployment.statuses.map((_, index) => status(index)).reverse() };
      }
      if (method === "POST") {
        const state = String((body as { state?: unknown } | undefined)?.state);
        if (!STATES.includes(state)) return { status: 422, body: { message: `Invalid state: ${state}` } };
        post(deployment, state);
        return { status: 201, body: status(deployment.statuses.length - 1) };
      }
      return undefined;
    },
  };
}
