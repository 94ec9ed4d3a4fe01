import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { gitHubEnvironment } from "../../../infra/core/names.ts";
import { APP_NAME } from "../../../infra/core/runtime.ts";
import { previewStage } from "../../../infra/core/stage.ts";
import { type CliDeps, runCli } from "../../../infra/delivery/commands.ts";
import { decideGate, type GateInput } from "../../../infra/delivery/preview-commands.ts";
import { PREVIEW_COMMENT_MARKER } from "../../../infra/delivery/preview-comment.ts";
import { STAGE_OWNER_BINDING } from "../../../infra/stage-ownership.ts";
import { parseStepOutputs } from "../helpers/step-outputs.ts";
import { ACCOUNT, type Call, cf, cloudflareRoutes, deployEnv, fakeApi } from "./fake-api.ts";

const login = previewStage("feature/login");
const dashLogin = previewStage("feature-login");

function gate(overrides: Partial<GateInput> & Pick<GateInput, "purpose">) {
  return decideGate({
    stage: login,
    owner: "feature/login",
    branch: "feature/login",
    event: "push",
    branchExists: async () => true,
    liveBranches: async () => ({ branches: ["main"], defaultBranch: "main" }),
    ...overrides,
  });
}

describe("decideGate: deploy (the preview job, holding the stage's lock)", () => {
  it("deploys while the branch exists and owns the stage", async () => {
    expect(await gate({ purpose: "deploy" })).toMatchObject({ action: "deploy", branch: "feature/login" });
    expect(await gate({ purpose: "deploy", owner: undefined })).toMatchObject({ action: "deploy" });
  });

  it("tears down instead when the branch was deleted while the run waited (its teardown may have been dropped)", async () => {
    const decision = await gate({ purpose: "deploy", branchExists: async () => false });
    expect(decision).toMatchObject({ action: "destroy", branch: "feature/login" });
    expect(decision.message).toMatch(/no longer exists.*teardown queued for it may have been replaced/);
  });

  it("tears down instead when the pull request that started the run is closed", async () => {
    const decision = await gate({ purpose: "deploy", event: "pull_request", pullRequestOpen: async () => false });
    expect(decision).toMatchObject({ action: "destroy", message: expect.stringContaining("pull request is closed") });
    expect(await gate({ purpose: "deploy", pullRequestOpen: async () => true })).toMatchObject({ action: "deploy" });
  });

  it("refuses a deploy onto a stage another branch owns", async () => {
    const decision = await gate({ purpose: "deploy", stage: login, branch: "feature-login" });
    expect(decision).toMatchObject({ action: "refuse", message: expect.stringContaining(dashLogin) });
  });

  it("never tears down a stage that is not a preview because a dispatching branch went away", async () => {
    const decision = await gate({
      purpose: "deploy",
      stage: "demo",
      owner: undefined,
      branchExists: async () => false,
    });
    expect(decision.action).toBe("deploy");
  });

  it("skips (does not destroy) a gone branch's run when the stage belongs to another branch", async () => {
    const decision = await gate({ purpose: "deploy", branch: "feature-login", branchExists: async () => false });
    expect(decision).toMatchObject({ action: "skip", message: expect.stringContaining("left alone") });
  });
});

describe("decideGate: teardown, sweep, destroy", () => {
  it("teardown destroys its own branch's stage and skips another branch's", async () => {
    const deleted = { event: "delete", branchExists: async () => false };
    expect(await gate({ purpose: "teardown", ...deleted })).toMatchObject({
      action: "destroy",
      branch: "feature/login",
    });
    const other = await gate({ purpose: "teardown", ...deleted, branch: "feature-login" });
    expect(other).toMatchObject({
      action: "skip",
      message: expect.stringContaining('belongs to branch "feature/login"'),
    });
  });

  it("teardown of a deleted branch that was pushed again leaves the new preview alone", async () => {
    expect(await gate({ purpose: "teardown", event: "delete" })).toMatchObject({ action: "skip" });
    // A closed pull request's branch still exists: that is the normal case, and it is torn down.
    const closed = { event: "pull_request", pullRequestOpen: async () => false };
    expect(await gate({ purpose: "teardown", ...closed })).toMatchObject({ action: "destroy" });
    // Reopened while the teardown waited (its deploy may have run first): left alone.
    const reopened = await gate({ purpose: "teardown", ...closed, pullRequestOpen: async () => true });
    expect(reopened).toMatchObject({ action: "skip", message: expect.stringContaining("reopened") });
  });

  it("sweep destroys as the recorded owner once that branch is gone, and skips it while it exists", async () => {
    expect(await gate({ purpose: "sweep", branch: "main", branchExists: async () => false })).toMatchObject({
      action: "destroy",
      branch: "feature/login",
    });
    expect(await gate({ purpose: "sweep", branch: "main" })).toMatchObject({ action: "skip" });
    const unowned = { owner: undefined, branch: "main" };
    const alive = async () => ({ branches: ["main", "feature/login"], defaultBranch: "main" });
    expect(await gate({ purpose: "sweep", ...unowned, liveBranches: alive })).toMatchObject({ action: "skip" });
    expect(await gate({ purpose: "sweep", ...unowned })).toMatchObject({ action: "destroy", branch: "" });
  });

  it("a dispatched destroy refuses a stage a live branch owns, and removes it once that branch is gone", async () => {
    expect(await gate({ purpose: "destroy", branch: "main" })).toMatchObject({
      action: "refuse",
      message: expect.stringContaining('Branch "feature/login" still exists'),
    });
    expect(await gate({ purpose: "destroy", branch: "main", branchExists: async () => false })).toMatchObject({
      action: "destroy",
      branch: "feature/login",
    });
    expect(await gate({ purpose: "destroy", stage: "demo", owner: undefined, branch: "main" })).toMatchObject({
      action: "destroy",
    });
  });
});

async function run(argv: string[], env: Record<string, string>, routes: Record<string, (call: Call) => unknown>) {
  const GITHUB_OUTPUT = join(mkdtempSync(join(tmpdir(), "preview-cli-")), "output");
  writeFileSync(GITHUB_OUTPUT, "");
  // @actions/core writes where this process's environment says, as on a runner.
  vi.stubEnv("GITHUB_OUTPUT", GITHUB_OUTPUT);
  const api = fakeApi(routes);
  const log: string[] = [];
  const deps: CliDeps = {
    env: { ...deployEnv, ...env },
    fetch: api.fetch,
    out: () => {},
    log: (line) => log.push(line),
    stateList: async () => "(no resources)",
    destroy: async () => {},
  };
  const originalError = console.error;
  console.error = (line: string) => log.push(line);
  try {
    const code = await runCli(argv, deps);
    return {
      code,
      log: log.join("\n"),
      outputs: parseStepOutputs(readFileSync(GITHUB_OUTPUT, "utf8")),
      calls: api.calls,
    };
  } finally {
    console.error = originalError;
    vi.unstubAllEnvs();
  }
}

const repo = "/api/v3/repos/acme/api";
const settings = `GET /client/v4/accounts/${ACCOUNT}/workers/scripts/${APP_NAME}-worker-${login}/settings`;
const ownedByLogin = {
  [settings]: () => cf({ bindings: [{ type: "plain_text", name: STAGE_OWNER_BINDING, text: "feature/login" }] }),
};

describe("npm run stage:gate", () => {
  it("hands the decision and the branch to the next steps", async () => {
    const result = await run(
      ["stage-gate", "--for", "teardown", "--stage", login],
      { GITHUB_ACTIONS: "true", GITHUB_EVENT_NAME: "delete", STAGE_BRANCH: "feature/login" },
      { ...ownedByLogin, [`GET ${repo}/branches/feature%2Flogin`]: () => ({ message: "x" }) },
    );
    // The fake answers 200 for a known route: the branch exists again, so the teardown skips with a notice.
    expect(result).toMatchObject({ code: 0, outputs: { action: "skip", branch: "feature/login" } });
    expect(result.log).toMatch(/^::notice::Branch "feature\/login" exists again/m);
  });

  it("skips another branch's stage cleanly, and fails a deploy onto it", async () => {
    const teardown = await run(
      ["stage-gate", "--for", "teardown", "--stage", login],
      { GITHUB_ACTIONS: "true", GITHUB_EVENT_NAME: "pull_request", STAGE_BRANCH: "feature-login" },
      ownedByLogin,
    );
    expect(teardown).toMatchObject({ code: 0, outputs: { action: "skip", branch: "feature-login" } });
    const deploy = await run(
      ["stage-gate", "--for", "deploy", "--stage", login],
      { GITHUB_ACTIONS: "true", GITHUB_REF_NAME: "feature-login" },
      { ...ownedByLogin, [`GET ${repo}/branches/feature-login`]: () => ({ name: "feature-login" }) },
    );
    expect(deploy).toMatchObject({ code: 1, outputs: {} });
    expect(deploy.log).toMatch(/^::error::Stage "br-feature-login-[0-9a-f]{8}" belongs to branch "feature\/login"/m);
  });

  it("needs a purpose and a stage", async () => {
    expect((await run(["stage-gate", "--stage", login], {}, {})).code).toBe(2);
    expect((await run(["stage-gate", "--for", "deploy"], {}, {})).code).toBe(2);
    expect((await run(["stage-gate", "--for", "everything", "--stage", login], {}, {})).code).toBe(2);
  });
});

describe("npm run stage:retire", () => {
  it("marks every deployment of the stage's environment inactive and edits the branch's preview comment", async () => {
    const result = await run(
      ["stage-retire", "--stage", login],
      { GITHUB_EVENT_NAME: "delete", STAGE_BRANCH: "feature/login" },
      {
        [`GET ${repo}/deployments`]: () => [{ id: 11 }, { id: 12 }],
        [`POST ${repo}/deployments/11/statuses`]: () => ({}),
        [`POST ${repo}/deployments/12/statuses`]: () => ({}),
        [`GET ${repo}/pulls`]: () => [{ number: 5 }],
        [`GET ${repo}/issues/5/comments`]: () => [
          { id: 70, body: "hi" },
          { id: 71, body: PREVIEW_COMMENT_MARKER },
        ],
        [`PATCH ${repo}/issues/comments/71`]: () => ({}),
      },
    );
    expect(result.code).toBe(0);
    const listing = result.calls.find((c) => c.url.pathname === `${repo}/deployments`);
    expect(listing?.url.searchParams.get("environment")).toBe(gitHubEnvironment(login));
    const pulls = result.calls.find((c) => c.url.pathname === `${repo}/pulls`);
    expect(pulls?.url.searchParams.get("state")).toBe("all");
    expect(pulls?.url.searchParams.get("head")).toBe("acme:feature/login");
    const statuses = result.calls.filter((c) => c.method === "POST");
    expect(statuses.map((c) => c.body)).toEqual([{ state: "inactive" }, { state: "inactive" }]);
    const edit = result.calls.find((c) => c.method === "PATCH")?.body as { body: string };
    expect(edit.body).toContain(PREVIEW_COMMENT_MARKER);
    expect(edit.body).toContain(`The preview stage \`${login}\` is gone: branch \`feature/login\` was deleted`);
    expect(result.log).toContain("2 deployment(s) marked inactive; preview comment edited on #5");
  });

  it("never creates a comment on a pull request that had none", async () => {
    const result = await run(
      ["stage-retire", "--stage", login],
      { GITHUB_EVENT_NAME: "pull_request", PULL_REQUEST: "9" },
      { [`GET ${repo}/deployments`]: () => [], [`GET ${repo}/issues/9/comments`]: () => [] },
    );
    expect(result.code).toBe(0);
    expect(result.calls.filter((c) => c.method !== "GET")).toEqual([]);
    expect(result.log).toContain("no preview comment to edit");
  });
});

describe("npm run sweep:environments", () => {
  const routes = (remove: () => unknown) => ({
    [`GET ${repo}/environments`]: () => ({
      total_count: 3,
      environments: [{ name: "production" }, { name: gitHubEnvironment(login) }, { name: "preview-old" }],
    }),
    [`GET ${repo}/branches`]: () => [{ name: "main" }],
    ...cloudflareRoutes({ workers: [], databases: [] }),
    [`DELETE ${repo}/environments/${gitHubEnvironment(login)}`]: remove,
    [`DELETE ${repo}/environments/preview-old`]: remove,
  });

  it("without SWEEPER_GITHUB_TOKEN, names what it left and stays green", async () => {
    const result = await run(
      ["sweep-environments"],
      { GITHUB_ACTIONS: "true" },
      routes(() => ({})),
    );
    expect(result.code).toBe(0);
    expect(result.log).toMatch(/^::notice::Preview environments left \(no SWEEPER_GITHUB_TOKEN/m);
    expect(result.calls.filter((c) => c.method === "DELETE")).toEqual([]);
  });

  it("deletes them with the sweeper's token, not GITHUB_TOKEN", async () => {
    const api = await run(
      ["sweep-environments"],
      { SWEEPER_GITHUB_TOKEN: "admin" },
      routes(() => ({})),
    );
    expect(api.code).toBe(0);
    const deletes = api.calls.filter((c) => c.method === "DELETE");
    expect(deletes.map((c) => decodeURIComponent(c.url.pathname))).toEqual([
      `${repo}/environments/${gitHubEnvironment(login)}`,
      `${repo}/environments/preview-old`,
    ]);
    expect(deletes.map((c) => c.authorization)).toEqual(["token admin", "token admin"]);
    expect(api.calls.find((c) => c.method === "GET")?.authorization).toBe("token gh-token");
    expect(api.log).toContain("Removed preview environments:");
  });

  it("says which it could not remove when GitHub refuses the token, and stays green", async () => {
    const refuse = () => new Response(JSON.stringify({ message: "Resource not accessible" }), { status: 403 });
    const api = await run(["sweep-environments"], { SWEEPER_GITHUB_TOKEN: "weak" }, routes(refuse));
    expect(api.code).toBe(0);
    expect(api.log).toMatch(
      /Could not remove \(GitHub refused SWEEPER_GITHUB_TOKEN.*\): preview-br-feature-login-[0-9a-f]{8}/,
    );
    expect(api.log).not.toContain("Removed");
  });
});
