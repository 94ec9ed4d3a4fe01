// The rehearsal's GitHub double against GitHub's own OpenAPI description: every answer it gives to the calls the
// delivery code makes (through Octokit, as in a workflow) must match the operation's documented response schema.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PREVIEW_COMMENT_MARKER,
  retirePreviewComment,
  upsertPreviewComment,
} from "../../../infra/delivery/preview-comment.ts";
import {
  branchExists,
  deactivateDeployments,
  defaultBranch,
  deleteEnvironment,
  findOpenPullRequest,
  gitHubClientFromEnv,
  listBranches,
  listEnvironments,
  pullRequestIsOpen,
  pullRequestsOfBranch,
  resolveCommit,
  wasDeployedSuccessfully,
} from "../../../infra/vendors/github-api.ts";
import { type GitHubDouble, startGitHubDouble } from "../rehearsal/workflow/github-double.ts";
import { findOperation, responseValidator } from "./openapi-schemas.ts";

const TOKEN = "github-token-not-a-secret";
const SHA = "a".repeat(40);
/** More pull requests than one page holds, so listings go through GitHub's Link-header pagination. */
const BRANCHES = Array.from({ length: 105 }, (_, i) => `feature/${i}`);

/** Every `octokit.rest.<scope>.<method>` the delivery code (and its GitHub module) calls, as `METHOD /path-template`. */
function operationsUsed(): string[] {
  const octokit = new Octokit();
  const rest = octokit.rest as unknown as Record<string, Record<string, { endpoint: { DEFAULTS: object } }>>;
  const used = new Set<string>();
  const files = ["infra/delivery", "infra/vendors"].flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => join(dir, name)),
  );
  for (const file of files) {
    for (const [, scope, method] of readFileSync(file, "utf8").matchAll(/octokit\.rest\.(\w+)\.(\w+)/g)) {
      const endpoint = rest[scope as string]?.[method as string]?.endpoint.DEFAULTS as
        | { method: string; url: string }
        | undefined;
      if (!endpoint) throw new Error(`${file}: octokit.rest.${scope}.${method} is no Octokit method.`);
      used.add(`${endpoint.method} ${endpoint.url}`);
    }
  }
  return [...used].sort();
}

describe("the GitHub double, against GitHub's OpenAPI description", () => {
  let double: GitHubDouble;

  beforeAll(async () => {
    double = await startGitHubDouble({ repository: "acme/api", token: TOKEN });
    for (const [i, branch] of BRANCHES.entries()) double.openPullRequest(branch, i + 1);
    double.closePullRequest(2);
    double.deleteBranch("feature/3");
    double.deployments.tag("v1", SHA);
    double.deployments.start({ environment: "production", sha: SHA })("success");
    double.deployments.start({ environment: "preview-br-feature-0", sha: SHA })("success");
    const client = gitHubClientFromEnv({
      GITHUB_TOKEN: TOKEN,
      GITHUB_REPOSITORY: "acme/api",
      GITHUB_API_URL: double.url,
    });

    // Every call the delivery code makes, with what it must conclude from the answers.
    expect(await listBranches(client)).toHaveLength(BRANCHES.length); // main and 105 branches, one deleted
    expect(await listEnvironments(client)).toEqual(["production", "preview-br-feature-0"]);
    expect(await defaultBranch(client)).toBe("main");
    expect(await findOpenPullRequest(client, "feature/0")).toBe(1);
    expect(await findOpenPullRequest(client, "feature/1")).toBeUndefined(); // #2, closed
    expect(await pullRequestsOfBranch(client, "feature/1")).toEqual([2]);
    expect(await pullRequestIsOpen(client, 2)).toBe(false);
    expect(await branchExists(client, "feature/0")).toBe(true);
    expect(await branchExists(client, "feature/3")).toBe(false);
    expect(await resolveCommit(client, "v1")).toBe(SHA);
    expect(await wasDeployedSuccessfully(client, "production", SHA)).toBe(true);
    expect(await upsertPreviewComment(client, 1, `${PREVIEW_COMMENT_MARKER} first`)).toMatchObject({
      action: "created",
    });
    expect(await upsertPreviewComment(client, 1, `${PREVIEW_COMMENT_MARKER} second`)).toMatchObject({
      action: "updated",
    });
    expect(await retirePreviewComment(client, 1, `${PREVIEW_COMMENT_MARKER} gone`)).toBe(true);
    expect(await deactivateDeployments(client, "preview-br-feature-0")).toBe(1);
    expect(await deleteEnvironment(client, "preview-br-feature-0")).toBe("deleted");
    expect(await deleteEnvironment(client, "preview-br-feature-0")).toBe("gone");
  });

  afterAll(() => double?.stop());

  it("answers every call with a body GitHub's description allows for that operation and status", () => {
    const answered = double.calls.filter((call) => call.status >= 200 && call.status < 300);
    expect(answered.length).toBeGreaterThan(15);
    for (const call of answered) {
      const path = new URL(call.path, double.url).pathname;
      const found = findOperation(call.method, path);
      expect(found, `${call.method} ${path}`).toBeDefined();
      const validate = found && responseValidator(found.operation, call.status);
      if (call.response === undefined) {
        expect(validate, `${call.method} ${path} answered no body`).toBeUndefined();
        continue;
      }
      expect(validate, `${call.method} ${path}: GitHub documents no ${call.status} body`).toBeDefined();
      const valid = validate?.(call.response);
      expect(valid, `${call.method} ${path}: ${JSON.stringify(validate?.errors?.slice(0, 5))}`).toBe(true);
    }
  });

  it("was asked, and answered, every operation the delivery code uses", () => {
    const answered = new Set(
      double.calls
        .filter((call) => call.status >= 200 && call.status < 300)
        .map((call) => {
          const found = findOperation(call.method, new URL(call.path, double.url).pathname);
          return `${call.method} ${found?.template}`;
        }),
    );
    const used = operationsUsed();
    expect(used.length).toBeGreaterThanOrEqual(14);
    for (const operation of used) expect(answered, operation).toContain(operation);
  });

  it("pages long listings the way GitHub does, with a Link header to the next page", () => {
    const pages = double.calls.filter((call) => call.path.startsWith("/repos/acme/api/branches?"));
    expect(pages.map((call) => new URL(call.path, double.url).searchParams.get("page") ?? "1")).toEqual(["1", "2"]);
    expect(pages.every((call) => call.known)).toBe(true);
  });
});
