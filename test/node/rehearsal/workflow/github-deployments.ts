// The GitHub double's deployments and commits: what a job with `environment:` records, and what a rollback reads back.
import type { JobDeployment } from "./run-workflow.ts";

export interface Deployment extends JobDeployment {
  id: number;
}

export interface DeploymentsDouble {
  deployments: Deployment[];
  /** Names a commit, as a tag or branch would (a full SHA always names itself). */
  tag(ref: string, sha: string): void;
  record(deployment: JobDeployment): void;
  /** Answers the routes it knows; undefined for any other. */
  route(method: string, url: URL, repo: string): { status: number; body: unknown } | undefined;
}

export function deploymentsDouble(): DeploymentsDouble {
  const deployments: Deployment[] = [];
  const refs = new Map<string, string>();
  return {
    deployments,
    tag: (ref, sha) => refs.set(ref, sha),
    record: (deployment) => deployments.push({ id: deployments.length + 1, ...deployment }),
    route(method, url, repo) {
      if (method !== "GET") return undefined;
      const commit = new RegExp(`^${repo}/commits/([^/]+)$`).exec(url.pathname);
      if (commit) {
        const ref = decodeURIComponent(commit[1] as string);
        const sha = refs.get(ref) ?? (/^[0-9a-f]{40}$/.test(ref) ? ref : undefined);
        return sha ? { status: 200, body: { sha } } : { status: 422, body: { message: `No commit found for ${ref}` } };
      }
      if (url.pathname === `${repo}/deployments`) {
        const sha = url.searchParams.get("sha");
        const environment = url.searchParams.get("environment");
        const page = Number(url.searchParams.get("page") ?? "1");
        const found = deployments.filter(
          (d) => (!sha || d.sha === sha) && (!environment || d.environment === environment),
        );
        return {
          status: 200,
          body: page > 1 ? [] : found.map(({ id, sha, environment }) => ({ id, sha, environment })),
        };
      }
      const statuses = new RegExp(`^${repo}/deployments/(\\d+)/statuses$`).exec(url.pathname);
      if (statuses) {
        const deployment = deployments.find((d) => d.id === Number(statuses[1]));
        const page = Number(url.searchParams.get("page") ?? "1");
        if (!deployment) return { status: 404, body: { message: "Not Found" } };
        return { status: 200, body: page > 1 ? [] : [{ state: deployment.state }] };
      }
      return undefined;
    },
  };
}
