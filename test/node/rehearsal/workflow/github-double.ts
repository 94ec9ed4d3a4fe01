// A stand-in for the GitHub REST API (GITHUB_API_URL): branches, pull requests, issue comments, environments and
// deployments, every call and answer captured, none sent. Bodies are whole GitHub payloads (github-*-payloads.ts).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  environment as environmentPayload,
  issueComment,
  pullRequest,
  pullRequestSimple,
} from "./github-activity-payloads.ts";
import { type DeploymentsDouble, deploymentsDouble } from "./github-deployments.ts";
import { branch as branchPayload, fullRepository, type Site, shortBranch } from "./github-repository-payloads.ts";

export interface CapturedCall {
  method: string;
  path: string;
  body: unknown;
  known: boolean;
  /** What the double answered. */
  status: number;
  response: unknown;
}

export interface Comment {
  id: number;
  body: string;
}

export interface GitHubDouble {
  url: string;
  calls: CapturedCall[];
  openPullRequest(branch: string, number: number): void;
  closePullRequest(number: number): void;
  comments(pullRequest: number): Comment[];
  /** Branches exist until deleted (a delete event marks its branch deleted, as GitHub sends it afterwards). */
  deleteBranch(branch: string): void;
  /** Deployments recorded by the workflow runner, and the refs a rollback may name. */
  deployments: DeploymentsDouble;
  stop(): Promise<void>;
}

const BRANCH_SHA = "1".repeat(40);

/** One page of a listing, `?per_page=&page=` as GitHub reads them, with the Link header that names the next. */
function pageOf(url: URL, items: unknown[]): { body: unknown[]; link?: string } {
  const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), 100);
  const page = Number(url.searchParams.get("page") ?? 1);
  const body = items.slice((page - 1) * perPage, page * perPage);
  if (page * perPage >= items.length) return { body };
  const next = new URL(url);
  next.searchParams.set("page", String(page + 1));
  return { body, link: `<${next.href}>; rel="next"` };
}

export async function startGitHubDouble({ repository, token }: { repository: string; token: string }) {
  const [owner = "", repoName = ""] = repository.split("/");
  const pulls = new Map<number, { branch: string; state: "open" | "closed" }>();
  const comments = new Map<number, Comment[]>();
  const deletedBranches = new Set<string>();
  const deletedEnvironments = new Set<string>();
  const deployments = deploymentsDouble();
  const calls: CapturedCall[] = [];
  let nextId = 1000;
  const repo = `/repos/${repository}`;
  let site: Site = { api: "", owner, repo: repoName };

  /** The branches it lists: the default one and every pull request's, until deleted (any other name exists when asked). */
  const liveBranches = () =>
    [...new Set(["main", ...[...pulls.values()].map((pr) => pr.branch)])].filter((b) => !deletedBranches.has(b));
  /** GitHub creates an environment with its first deployment. */
  const environments = () =>
    [...new Set(deployments.deployments.map((d) => d.environment))].filter((e) => !deletedEnvironments.has(e));

  const server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const url = new URL(req.url ?? "/", site.api || "http://github.invalid");
    const body = text ? JSON.parse(text) : undefined;
    const call: CapturedCall = {
      method: req.method ?? "GET",
      path: `${url.pathname}${url.search}`,
      body,
      known: true,
      status: 0,
      response: undefined,
    };
    calls.push(call);
    const send = (status: number, payload?: unknown, link?: string) => {
      call.status = status;
      call.response = payload;
      if (payload === undefined) return res.writeHead(status).end();
      res
        .writeHead(status, { "content-type": "application/json; charset=utf-8", ...(link ? { link } : {}) })
        .end(JSON.stringify(payload));
    };
    const list = (items: unknown[]) => {
      const { body: page, link } = pageOf(url, items);
      send(200, page, link);
    };
    // GitHub takes a token as `token X` (what Octokit sends) or `Bearer X`.
    if (![`Bearer ${token}`, `token ${token}`].includes(req.headers.authorization ?? "")) {
      return send(401, { message: "Bad credentials" });
    }

    const path = url.pathname;
    const method = req.method;
    const issue = new RegExp(`^${repo}/issues/(\\d+)/comments$`).exec(path);
    const comment = new RegExp(`^${repo}/issues/comments/(\\d+)$`).exec(path);
    const pull = new RegExp(`^${repo}/pulls/(\\d+)$`).exec(path);
    const branch = new RegExp(`^${repo}/branches/(.+)$`).exec(path);
    const environment = new RegExp(`^${repo}/environments/([^/]+)$`).exec(path);
    if (method === "GET" && path === repo) return send(200, fullRepository(site));
    if (method === "GET" && path === `${repo}/pulls`) {
      const head = url.searchParams.get("head");
      const state = url.searchParams.get("state") ?? "open";
      const matching = [...pulls]
        .filter(([, pr]) => (state === "all" || pr.state === state) && (!head || head === `${owner}:${pr.branch}`))
        .reverse();
      return list(matching.map(([number, pr]) => pullRequestSimple(site, { number, ...pr })));
    }
    if (pull && method === "GET") {
      const found = pulls.get(Number(pull[1]));
      if (found) return send(200, pullRequest(site, { number: Number(pull[1]), ...found }));
    }
    if (method === "GET" && path === `${repo}/branches`) {
      return list(liveBranches().map((name) => shortBranch(site, name, BRANCH_SHA)));
    }
    if (branch && method === "GET") {
      const name = decodeURIComponent(branch[1] as string);
      return deletedBranches.has(name)
        ? send(404, { message: "Branch not found" })
        : send(200, branchPayload(site, name, BRANCH_SHA));
    }
    if (method === "GET" && path === `${repo}/environments`) {
      const all = environments().map((name, i) => environmentPayload(site, name, 5000 + i));
      const { body: page, link } = pageOf(url, all);
      return send(200, { total_count: all.length, environments: page }, link);
    }
    if (environment && method === "DELETE") {
      const name = decodeURIComponent(environment[1] as string);
      if (!environments().includes(name)) return send(404, { message: "Not Found" });
      deletedEnvironments.add(name);
      return send(204);
    }
    if (issue && method === "GET") {
      const number = Number(issue[1]);
      return list((comments.get(number) ?? []).map((c) => issueComment(site, { ...c, issue: number })));
    }
    if (issue && method === "POST") {
      const number = Number(issue[1]);
      const created = { id: nextId++, body: String(body?.body) };
      comments.set(number, [...(comments.get(number) ?? []), created]);
      return send(201, issueComment(site, { ...created, issue: number }));
    }
    if (comment && method === "PATCH") {
      for (const [number, list] of comments) {
        const found = list.find((c) => c.id === Number(comment[1]));
        if (!found) continue;
        found.body = String(body?.body);
        return send(200, issueComment(site, { ...found, issue: number }));
      }
    }
    const deployment = deployments.route(method ?? "GET", url, site, body);
    if (deployment?.status === 200 && Array.isArray(deployment.body)) return list(deployment.body);
    if (deployment) return send(deployment.status, deployment.body);
    call.known = false;
    return send(404, { message: `Not Found (the GitHub double does not serve ${method} ${path})` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  site = { ...site, api: `http://127.0.0.1:${port}` };

  return {
    url: site.api,
    calls,
    openPullRequest: (branch, number) => pulls.set(number, { branch, state: "open" }),
    closePullRequest: (number) => {
      const pr = pulls.get(number);
      if (pr) pr.state = "closed";
    },
    comments: (pullRequest) => comments.get(pullRequest) ?? [],
    deleteBranch: (branch) => deletedBranches.add(branch),
    deployments,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } satisfies GitHubDouble;
}
