import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { PROTECTED_STAGES } from "../../../infra/core/protected-stages.ts";
import { APP_NAME } from "../../../infra/core/runtime.ts";
import { previewStage } from "../../../infra/core/stage.ts";
import { type CliDeps, runCli } from "../../../infra/delivery/commands.ts";
import { parseStepOutputs } from "../helpers/step-outputs.ts";
import { ACCOUNT, cf, cloudflareRoutes, deployEnv, fakeApi } from "./fake-api.ts";
import { type FakeStage, fakeStage } from "./fake-stage.ts";

interface Run {
  code: number;
  out: string[];
  log: string[];
  outputs: Record<string, string>;
  destroyed: string[];
  calls: ReturnType<typeof fakeApi>["calls"];
}

async function run(
  argv: string[],
  {
    env = {},
    routes = {},
    state = () => "(no resources)",
    stage,
    onDestroy = () => {},
  }: {
    env?: Record<string, string>;
    routes?: Parameters<typeof fakeApi>[0];
    state?: (stage: string) => string;
    /** Answers the stage's own API (`/v1/…`), which the signed-in probe walks. */
    stage?: FakeStage;
    onDestroy?: (stage: string, branch?: string) => void;
  } = {},
): Promise<Run> {
  const GITHUB_OUTPUT = join(mkdtempSync(join(tmpdir(), "cli-")), "output");
  writeFileSync(GITHUB_OUTPUT, "");
  // @actions/core writes where this process's environment says, as on a runner.
  vi.stubEnv("GITHUB_OUTPUT", GITHUB_OUTPUT);
  const api = fakeApi(routes);
  const result = { out: [] as string[], log: [] as string[], destroyed: [] as string[] };
  const deps: CliDeps = {
    env,
    fetch: (input, init) =>
      stage && new URL(input).pathname.startsWith("/v1/") ? stage.fetch(input, init) : api.fetch(input, init),
    out: (line) => result.out.push(line),
    log: (line) => result.log.push(line),
    stateList: async (stage) => state(stage),
    destroy: async (stage, branch) => {
      onDestroy(stage, branch);
      result.destroyed.push(stage);
    },
    sleep: async () => {},
  };
  const originalError = console.error;
  console.error = (line: string) => result.log.push(line);
  try {
    const code = await runCli(argv, deps);
    return { code, ...result, outputs: parseStepOutputs(readFileSync(GITHUB_OUTPUT, "utf8")), calls: api.calls };
  } finally {
    console.error = originalError;
    vi.unstubAllEnvs();
  }
}

const github = { GITHUB_ACTIONS: "true", DEFAULT_BRANCH: "main" };

describe("stage", () => {
  it("prints the branch's stage and hands it and its environment to later jobs", async () => {
    const result = await run(["stage"], { env: { ...github, GITHUB_REF_NAME: "feature/Login" } });
    const stage = previewStage("feature/Login");
    expect(result).toMatchObject({ code: 0, out: [stage] });
    expect(result.outputs).toEqual({ stage, environment: `preview-${stage}` });
  });

  it("takes the deleted branch from STAGE_BRANCH, not GITHUB_REF_NAME", async () => {
    const env = { ...github, GITHUB_REF_NAME: "main", STAGE_BRANCH: "feature/gone" };
    expect((await run(["stage", "--preview"], { env })).out).toEqual([previewStage("feature/gone")]);
  });

  it("maps the default branch to prod, which --preview refuses", async () => {
    const env = { ...github, GITHUB_REF_NAME: "main" };
    expect((await run(["stage"], { env })).outputs).toEqual({ stage: "prod", environment: "production" });
    const refused = await run(["stage", "--preview"], { env });
    expect(refused.code).toBe(1);
    expect(refused.log.join("\n")).toMatch(/production stage "prod"/);
    expect(refused.outputs).toEqual({});
  });

  it("refuses a dispatched destroy of a protected stage, and a preview resolving to one", async () => {
    for (const stage of PROTECTED_STAGES) {
      const refused = await run(["stage"], { env: { ...github, STAGE: stage, STAGE_ACTION: "destroy" } });
      expect(refused.code).toBe(1);
      expect(refused.log.join("\n")).toMatch(new RegExp(`Stage "${stage}" is protected: no workflow destroys it`));
      expect(refused.outputs).toEqual({});
      expect((await run(["stage", "--preview"], { env: { ...github, STAGE: stage } })).code).toBe(1);
      expect((await run(["stage"], { env: { ...github, STAGE: stage, STAGE_ACTION: "deploy" } })).out).toEqual([stage]);
    }
    expect((await run(["stage"], { env: { ...github, STAGE: "demo", STAGE_ACTION: "destroy" } })).out).toEqual([
      "demo",
    ]);
  });

  it("records staging in its own environment, and --preview refuses it like prod", async () => {
    const env = { ...github, STAGE: "staging" };
    expect((await run(["stage"], { env })).outputs).toEqual({ stage: "staging", environment: "staging" });
    const refused = await run(["stage", "--preview"], { env });
    expect(refused.code).toBe(1);
    expect(refused.log.join("\n")).toMatch(/protected stage "staging"/);
  });

  it("prefers an explicit stage (workflow_dispatch) and validates it", async () => {
    expect((await run(["stage", "--stage", "demo"], { env: github })).out).toEqual(["demo"]);
    expect((await run(["stage"], { env: { ...github, STAGE: "demo-2" } })).out).toEqual(["demo-2"]);
    expect((await run(["stage", "--stage", "Not_Valid"], { env: github })).code).toBe(1);
  });
});

describe("pull-request", () => {
  const pulls = "GET /api/v3/repos/acme/api/pulls";

  it("prints the branch's open pull request, asking only for this repository's branch", async () => {
    const result = await run(["pull-request"], {
      env: { ...deployEnv, GITHUB_REF_NAME: "feature/x" },
      routes: { [pulls]: () => [{ number: 12 }] },
    });
    expect(result).toMatchObject({ code: 0, out: ["12"], outputs: { number: "12" } });
    expect(result.calls[0]?.url.searchParams.get("head")).toBe("acme:feature/x");
    expect(result.calls[0]?.url.searchParams.get("state")).toBe("open");
  });

  it("prints nothing when there is none", async () => {
    const result = await run(["pull-request"], {
      env: { ...deployEnv, GITHUB_REF_NAME: "feature/x" },
      routes: { [pulls]: () => [] },
    });
    expect(result).toMatchObject({ code: 0, out: [], outputs: { number: "" } });
  });
});

describe("verify-destroyed", () => {
  it("passes when neither the state nor Cloudflare has anything of the stage", async () => {
    const result = await run(["verify-destroyed", "--stage", "pr-7"], {
      env: deployEnv,
      routes: cloudflareRoutes({ workers: [`${APP_NAME}-worker-pr-70`], databases: [`${APP_NAME}-db-prod`] }),
    });
    expect(result.code).toBe(0);
    expect(result.log.join("\n")).toContain("Stage pr-7 is gone");
    expect(result.calls.every((c) => c.url.href.startsWith("http://cloudflare.test/client/v4/accounts/"))).toBe(true);
  });

  it("fails naming what the state and Cloudflare still hold", async () => {
    const result = await run(["verify-destroyed", "--stage", "pr-7"], {
      env: { ...deployEnv, GITHUB_ACTIONS: "true" },
      routes: cloudflareRoutes({ workers: [`${APP_NAME}-worker-pr-7`], databases: [] }),
      state: (stage) => `${APP_NAME}/${stage}/db\n`,
    });
    expect(result.code).toBe(1);
    const log = result.log.join("\n");
    expect(log).toMatch(/^::error::Stage pr-7 was NOT fully destroyed/);
    expect(log).toContain(`${APP_NAME}/pr-7/db`);
    expect(log).toContain(`Worker ${APP_NAME}-worker-pr-7`);
    expect(log).toContain(`Durable Object namespace ${APP_NAME}-worker-pr-7_SessionDO`);
  });

  it("fails when Cloudflare cannot be asked, rather than assuming the stage is gone", async () => {
    const result = await run(["verify-destroyed", "--stage", "pr-7"], { env: deployEnv, routes: {} });
    expect(result.code).toBe(1);
    expect(result.log.join("\n")).toMatch(/Cloudflare GET .*workers\/scripts failed with 404/);
  });

  it("needs an explicit, valid stage", async () => {
    expect((await run(["verify-destroyed"], { env: deployEnv })).code).toBe(2);
    expect((await run(["verify-destroyed", "--stage", "../x"], { env: deployEnv })).code).toBe(1);
  });
});

describe("sweep", () => {
  const routes = {
    "GET /api/v3/repos/acme/api/environments": () => ({
      total_count: 4,
      environments: [
        { name: "production" },
        { name: "preview-live" },
        { name: "preview-gone" },
        { name: "preview-old" },
      ],
    }),
    "GET /api/v3/repos/acme/api/branches": () => [{ name: "main" }, { name: "live" }],
    "GET /api/v3/repos/acme/api": () => ({ default_branch: "main" }),
    ...cloudflareRoutes({
      workers: [`${APP_NAME}-worker-prod`, `${APP_NAME}-worker-live`, `${APP_NAME}-worker-gone`],
      databases: [`${APP_NAME}-db-alice`],
    }),
  };

  it("lists stale previews in a dry run and destroys nothing", async () => {
    const result = await run(["sweep", "--dry-run"], { env: deployEnv, routes });
    expect(result).toMatchObject({ code: 0, out: ["gone"], destroyed: [] });
    expect(result.outputs).toEqual({ stages: '["gone"]' });
  });

  it("destroys a preview as the branch recorded as its owner, and keeps one whose owner branch is alive", async () => {
    const [gone, kept] = [previewStage("feature/gone"), previewStage("feature/renamed")];
    const owned = (owner: string) => () => cf({ bindings: [{ type: "plain_text", name: "STAGE_OWNER", text: owner }] });
    const settings = (stage: string) =>
      `GET /client/v4/accounts/${ACCOUNT}/workers/scripts/${APP_NAME}-worker-${stage}/settings`;
    const destroyedAs: (string | undefined)[] = [];
    const result = await run(["sweep"], {
      env: deployEnv,
      routes: {
        ...routes,
        "GET /api/v3/repos/acme/api/environments": () => ({
          total_count: 2,
          environments: [{ name: `preview-${gone}` }, { name: `preview-${kept}` }],
        }),
        ...cloudflareRoutes({ workers: [`${APP_NAME}-worker-${gone}`, `${APP_NAME}-worker-${kept}`], databases: [] }),
        [settings(gone)]: owned("feature/gone"),
        // Its name is feature/renamed's, but the live branch `live` owns it: kept.
        [settings(kept)]: owned("live"),
      },
      onDestroy: (_stage, branch) => destroyedAs.push(branch),
    });
    expect(result.destroyed).toEqual([gone]);
    expect(destroyedAs).toEqual(["feature/gone"]);
    expect(result.log.join("\n")).toContain(`Kept ${kept}: branch "live" owns it.`);
  });

  it("destroys each stale preview and verifies it", async () => {
    const result = await run(["sweep"], { env: deployEnv, routes });
    expect(result.destroyed).toEqual(["gone"]);
    // The fake account still has the Worker after the fake destroy: the sweep must say so.
    expect(result.code).toBe(1);
    expect(result.log.join("\n")).toContain(`Worker ${APP_NAME}-worker-gone`);
  });

  it("reports an empty plan as an empty JSON list for the workflow's matrix", async () => {
    const result = await run(["sweep", "--dry-run"], {
      env: deployEnv,
      routes: {
        ...routes,
        "GET /api/v3/repos/acme/api/branches": () => [{ name: "main" }, { name: "live" }, { name: "gone" }],
      },
    });
    expect(result).toMatchObject({ code: 0, out: [], outputs: { stages: "[]" } });
  });
});

describe("usage", () => {
  it("rejects unknown commands and options with status 2", async () => {
    expect((await run(["deploy"])).code).toBe(2);
    expect((await run([])).code).toBe(2);
    expect((await run(["stage", "--stag", "x"])).code).toBe(2);
  });
});

describe("verify-deployed", () => {
  const subdomain = { [`GET /client/v4/accounts/${ACCOUNT}/workers/subdomain`]: () => cf({ subdomain: "acme" }) };
  const health = (answers: unknown[]) => {
    let i = 0;
    return { "GET /health": () => answers[Math.min(i++, answers.length - 1)] };
  };
  const env = { ...deployEnv, COMMIT_SHA: "0123456789abcdef0123" };

  it("passes once /health reports this stage and the commit just deployed, at the stage's workers.dev URL", async () => {
    const routes = {
      ...subdomain,
      ...health([
        { ok: true, stage: "pr-7", version: "old" },
        { ok: true, stage: "pr-7", version: "0123456789ab" },
      ]),
    };
    const stage = fakeStage();
    const result = await run(["verify-deployed", "--stage", "pr-7", "--attempts", "3"], {
      env: { ...env, ALCHEMY_PASSWORD: "state-password" },
      routes,
      stage,
    });
    expect(result.code, result.log.join("\n")).toBe(0);
    expect(result.log.join("\n")).toContain("Stage pr-7 serves version 0123456789ab");
    expect(result.log.join("\n")).toContain("Stage pr-7: a signed-in request round-trips");
    expect(stage.sessions.size).toBe(0);
    const probes = result.calls.filter((call) => call.url.pathname === "/health");
    expect(probes.map((call) => call.url.host)).toEqual([
      `${APP_NAME}-worker-pr-7.acme.workers.dev`,
      `${APP_NAME}-worker-pr-7.acme.workers.dev`,
    ]);
  });

  it("fails when the stage serves the commit but a signed-in request does not round-trip", async () => {
    const routes = { ...subdomain, ...health([{ ok: true, stage: "pr-7", version: "0123456789ab" }]) };
    const broken = await run(["verify-deployed", "--stage", "pr-7"], {
      env: { ...env, ALCHEMY_PASSWORD: "state-password" },
      routes,
      stage: fakeStage({ losesMessages: true }),
    });
    expect(broken.code).toBe(1);
    expect(broken.log.join("\n")).toContain("a signed-in request does NOT round-trip");
    // Without a credential the probe cannot pass: it is never skipped.
    const blind = await run(["verify-deployed", "--stage", "pr-7"], { env, routes, stage: fakeStage() });
    expect(blind.code).toBe(1);
    expect(blind.log.join("\n")).toContain("No credential for the signed-in probe");
  });

  it("fails after its bound when the stage still serves another version (a killed deploy), naming both", async () => {
    const routes = { ...subdomain, ...health([{ ok: true, stage: "pr-7", version: "previous1234" }]) };
    const result = await run(["verify-deployed", "--stage", "pr-7", "--attempts", "4"], { env, routes });
    expect(result.code).toBe(1);
    expect(result.calls.filter((call) => call.url.pathname === "/health")).toHaveLength(4);
    const log = result.log.join("\n");
    expect(log).toContain("Stage pr-7 is NOT serving version 0123456789ab");
    expect(log).toContain("version previous1234");
  });

  it("fails when nothing answers, and when another stage answers with the right version", async () => {
    const gone = await run(["verify-deployed", "--stage", "pr-7", "--attempts", "2"], { env, routes: subdomain });
    expect(gone.code).toBe(1);
    expect(gone.log.join("\n")).toContain("last: HTTP 404");
    const other = { ...subdomain, ...health([{ ok: true, stage: "prod", version: "0123456789ab" }]) };
    expect((await run(["verify-deployed", "--stage", "pr-7", "--attempts", "2"], { env, routes: other })).code).toBe(1);
  });

  it("needs a stage and a version, and a sane bound", async () => {
    expect((await run(["verify-deployed"], { env })).code).toBe(2);
    expect((await run(["verify-deployed", "--stage", "pr-7"], { env: deployEnv })).code).toBe(2);
    expect(
      (await run(["verify-deployed", "--stage", "pr-7", "--attempts", "0"], { env, routes: subdomain })).code,
    ).toBe(2);
  });
});
