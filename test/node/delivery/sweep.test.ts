import { describe, expect, it } from "vitest";
import { gitHubEnvironment } from "../../../infra/core/names.ts";
import { APP_NAME } from "../../../infra/core/runtime.ts";
import { stageForBranch } from "../../../infra/core/stage.ts";
import { deployedStages, liveOwner, planSweep, staleEnvironments } from "../../../infra/delivery/sweep.ts";

const stageOf = (branch: string) => stageForBranch(branch, "main");
const env = (branch: string) => gitHubEnvironment(stageOf(branch));
const noOwners = new Map<string, string | undefined>();

describe("deployedStages", () => {
  it("reads stages back from Worker and D1 names, ignoring other apps", () => {
    const stages = deployedStages({
      workers: [`${APP_NAME}-worker-a`, "other-app-worker-b", `${APP_NAME}-worker-`],
      databases: [`${APP_NAME}-db-c`, `${APP_NAME}-db-a`],
      durableObjectNamespaces: [],
    });
    expect([...stages].sort()).toEqual(["a", "c"]);
  });
});

describe("planSweep", () => {
  const base = { defaultBranch: "main", branches: ["main", "feature/live"], owners: noOwners };

  it("sweeps a deployed preview whose branch is gone", () => {
    const gone = stageOf("feature/gone");
    const plan = planSweep({
      ...base,
      environments: ["production", env("feature/live"), env("feature/gone")],
      deployed: new Set(["prod", stageOf("feature/live"), gone]),
    });
    expect(plan).toEqual({ stale: [gone], kept: [{ stage: stageOf("feature/live"), branch: "feature/live" }] });
  });

  it("keeps previews of live branches, matching them through stageForBranch", () => {
    const long = `feature/${"x".repeat(60)}`;
    const stage = stageOf(long);
    const plan = planSweep({ ...base, branches: [long], environments: [env(long)], deployed: new Set([stage]) });
    expect(plan.stale).toEqual([]);
  });

  it("goes by the recorded owner: a stage a live branch owns is kept, one whose owner is gone is swept", () => {
    const [a, b] = [stageOf("feature/a"), stageOf("feature/b")];
    const plan = planSweep({
      ...base,
      // feature/a's stage is owned by the live feature/live (say, a hash collision): kept, though feature/a is gone.
      owners: new Map([
        [a, "feature/live"],
        [b, "feature/b"],
      ]),
      branches: ["main", "feature/live"],
      environments: [env("feature/a"), env("feature/b")],
      deployed: new Set([a, b]),
    });
    expect(plan).toEqual({ stale: [b], kept: [{ stage: a, branch: "feature/live" }] });
  });

  it("tells feature/login's stage from feature-login's: deleting one branch sweeps only its own", () => {
    const [slash, dash] = [stageOf("feature/login"), stageOf("feature-login")];
    const plan = planSweep({
      ...base,
      branches: ["main", "feature-login"],
      environments: [gitHubEnvironment(slash), gitHubEnvironment(dash)],
      deployed: new Set([slash, dash]),
    });
    expect(plan).toEqual({ stale: [slash], kept: [{ stage: dash, branch: "feature-login" }] });
  });

  it("keeps a preview named the old way while a branch that could own it exists, then sweeps it", () => {
    const old = { environments: ["preview-feature-login"], deployed: new Set(["feature-login"]) };
    const alive = planSweep({ ...base, ...old, branches: ["main", "Feature_Login"] });
    expect(alive).toEqual({ stale: [], kept: [{ stage: "feature-login", branch: "Feature_Login" }] });
    expect(planSweep({ ...base, ...old, branches: ["main"] }).stale).toEqual(["feature-login"]);
  });

  it("never sweeps prod or a stage no workflow created (deployed from a laptop)", () => {
    const plan = planSweep({
      ...base,
      environments: ["production", "preview-prod", "staging", "preview-staging", "sweeper"],
      deployed: new Set(["prod", "alice", "staging", "sweeper"]),
    });
    expect(plan).toEqual({ stale: [], kept: [] });
  });

  it("skips previews that are already gone, so old environments cost nothing", () => {
    expect(planSweep({ ...base, environments: [env("feature/old")], deployed: new Set() }).stale).toEqual([]);
  });

  it("lists each stale stage once, sorted", () => {
    const plan = planSweep({
      ...base,
      environments: ["preview-b", "preview-a", "preview-b"],
      deployed: new Set(["a", "b"]),
    });
    expect(plan.stale).toEqual(["a", "b"]);
  });
});

describe("liveOwner", () => {
  const live = { branches: ["main", "feature/x"], defaultBranch: "main" };

  it("is the recorded owner while it exists, and nobody once it is gone", () => {
    expect(liveOwner("br-anything-00000000", "feature/x", live)).toBe("feature/x");
    expect(liveOwner(stageOf("feature/x"), "feature/gone", live)).toBeUndefined();
  });

  it("without a record, is the live branch the stage's name derives from", () => {
    expect(liveOwner(stageOf("feature/x"), undefined, live)).toBe("feature/x");
    expect(liveOwner("feature-x", undefined, live)).toBe("feature/x");
    expect(liveOwner(stageOf("feature/y"), undefined, live)).toBeUndefined();
    // The default branch owns no preview, whatever its old slug was.
    expect(liveOwner("main", undefined, live)).toBeUndefined();
  });
});

describe("staleEnvironments", () => {
  it("names preview environments whose stage is gone from Cloudflare and whose branch is gone", () => {
    const result = staleEnvironments({
      defaultBranch: "main",
      branches: ["main", "feature/live", "old-style"],
      environments: [
        "production",
        "staging",
        "sweeper",
        env("feature/live"), // branch alive, stage not deployed yet: kept
        env("feature/gone"), // gone everywhere: removed
        "preview-old-style", // old name, branch alive: kept
        "preview-old-gone", // old name, branch gone: removed
        env("feature/deployed"), // still on Cloudflare: the sweep destroys it first
        "preview-prod",
      ],
      deployed: new Set([stageOf("feature/deployed")]),
    });
    expect(result).toEqual([env("feature/gone"), "preview-old-gone"].sort());
  });
});
