// A stand-in for the GitHub REST API (GITHUB_API_URL): branches, pull requests, issue comments and deployments, every
// call captured, none sent.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type DeploymentsDouble, deploymentsDouble } from "./github-deployments.ts";

export interface CapturedCall {
  method: string;
  path: string;
  body: unknown;
  known: boolean;
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

export async function startGitHubDouble({ repository, token }: { repository: string; token: string }) {
  const [owner] = repository.split("/");
  const pulls = new Map<number, { branch: string; state: "open" | "closed" }>();
  const comments = new Map<number, Comment[]>();
  const deletedBranches = new Set<string>();
  const deployments = deploymentsDouble();
  const calls: CapturedCall[] = [];
  let nextId = 1000;
  const repo = `/repos/${repository}`;

  const server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const url = new URL(req.url ?? "/", "http://github.invalid");
    const body = text ? JSON.parse(text) : undefined;
    const call: CapturedCall = { method: req.method ?? "GET", path: `${url.pathname}${url.search}`, body, known: true };
    calls.push(call);
    const send = (status: number, payload: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { message: "Bad credentials" });

    const path = url.pathname;
    const issue = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path);
    const comment = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
    const pull = new RegExp(`^${repo}/pulls/(\\d+)$`).exec(path);
    const branch = new RegExp(`^${repo}/branches/(.+)$`).exec(path);
    if (req.method === "GET" && path === `${repo}/pulls`) {
      const head = url.searchParams.get("head");
      const state = url.searchParams.get("state");
      const matching = [...pulls].filter(
        ([, pr]) => (state === "all" || pr.state === state) && head === `${owner}:${pr.branch}`,
      );
      return send(
        200,
        matching.map(([number, pr]) => ({ number, state: pr.state, head: { ref: pr.branch } })),
      );
    }
    if (pull && req.method === "GET") {
      const found = pulls.get(Number(pull[1]));
      if (found) return send(200, { number: Number(pull[1]), state: found.state, head: { ref: found.branch } });
    }
    if (branch && req.method === "GET") {
      const name = decodeURIComponent(branch[1] as string);
      return deletedBranches.has(name) ? send(404, { message: "Branch not found" }) : send(200, { name });
    }
    if (issue && req.method === "GET") return send(200, comments.get(Number(issue[1])) ?? []);
    if (issue && req.method === "POST") {
      const created = { id: nextId++, body: String(body?.body) };
      comments.set(Number(issue[1]), [...(comments.get(Number(issue[1])) ?? []), created]);
      return send(201, created);
    }
    if (comment && req.method === "PATCH") {
      const found = [...comments.values()].flat().find((c) => c.id === Number(comment[1]));
      if (found) {
        found.body = String(body?.body);
        return send(200, found);
      }
    }
    const deployment = deployments.route(req.method ?? "GET", url, repo, body);
    if (deployment) return send(deployment.status, deployment.body);
    call.known = false;
    return send(404, { message: `Not Found (the GitHub double does not serve ${req.method} ${path})` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
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
