import { describe, expect, it } from "vitest";
import { deployedStages, planSweep } from "../../../infra/delivery/sweep.ts";
import { gitHubEnvironment } from "../../../infra/names.ts";
import { stageForBranch } from "../../../infra/stage.ts";

const env = (branch: string) => gitHubEnvironment(stageForBranch(branch, "main"));

describe("deployedStages", () => {
  it("reads stages back from Worker and D1 names, ignoring other apps", () => {
    const stages = deployedStages({
      workers: ["stateful-api-worker-a", "other-app-worker-b", "stateful-api-worker-"],
      databases: ["stateful-api-db-c", "stateful-api-db-a"],
      durableObjectNamespaces: [],
    });
    expect([...stages].sort()).toEqual(["a", "c"]);
  });
});

describe("planSweep", () => {
  const base = { defaultBranch: "main", branches: ["main", "feature/live"] };

  it("sweeps a deployed preview whose branch is gone", () => {
    const gone = stageForBranch("feature/gone", "main");
    const plan = planSweep({
      ...base,
      environments: ["production", env("feature/live"), env("feature/gone")],
      deployed: new Set(["prod", stageForBranch("feature/live", "main"), gone]),
    });
    expect(plan).toEqual([gone]);
  });

  it("keeps previews of live branches, matching them through stageForBranch", () => {
    const long = `feature/${"x".repeat(60)}`;
    const stage = stageForBranch(long, "main");
    expect(planSweep({ ...base, branches: [long], environments: [env(long)], deployed: new Set([stage]) })).toEqual([]);
  });

  it("never sweeps prod or a stage no workflow created (deployed from a laptop)", () => {
    const plan = planSweep({
      ...base,
      environments: ["production", "preview-prod", "staging", "preview-staging"],
      deployed: new Set(["prod", "alice", "staging"]),
    });
    expect(plan).toEqual([]);
  });

  it("skips previews that are already gone, so old environments cost nothing", () => {
    expect(planSweep({ ...base, environments: [env("feature/old")], deployed: new Set() })).toEqual([]);
  });

  it("lists each stale stage once, sorted", () => {
    const plan = planSweep({
      ...base,
      environments: ["preview-b", "preview-a", "preview-b"],
      deployed: new Set(["a", "b"]),
    });
    expect(plan).toEqual(["a", "b"]);
  });
});
