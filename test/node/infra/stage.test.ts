import { describe, expect, it } from "vitest";
import { PROTECTED_STAGES } from "../../../infra/core/protected-stages.ts";
import {
  assertValidStage,
  isPreviewStage,
  legacyStageForBranch,
  MAX_STAGE_LENGTH,
  PREVIEW_STAGE_PREFIX,
  PRODUCTION_STAGE,
  previewStage,
  resolveStage,
  StageError,
  slugStage,
  stageForBranch,
} from "../../../infra/core/stage.ts";

const local = (env: Record<string, string>, argv: string[] = []) =>
  resolveStage({ argv, env, purpose: "dev", osUser: "os-user" });

describe("stageForBranch", () => {
  it("maps the default branch to prod", () => {
    expect(stageForBranch("main", "main")).toBe(PRODUCTION_STAGE);
    expect(stageForBranch("refs/heads/trunk", "trunk")).toBe(PRODUCTION_STAGE);
  });

  it("names other branches br-<slug>-<8 hex of the exact name>, deterministically", () => {
    expect(stageForBranch("feature/Add_Login", "main")).toMatch(/^br-feature-add-login-[0-9a-f]{8}$/);
    expect(stageForBranch("feature/Add_Login", "main")).toBe(stageForBranch("feature/Add_Login", "main"));
    expect(stageForBranch("refs/heads/feature/x", "main")).toBe(stageForBranch("feature/x", "main"));
  });

  it("gives branches whose slugs collide their own stages (they all were feature-login)", () => {
    const names = ["feature/login", "feature-login", "Feature_Login", "feature.login", "FEATURE/LOGIN"];
    const stages = names.map((name) => stageForBranch(name, "main"));
    expect(new Set(stages).size).toBe(names.length);
    for (const name of names) expect(legacyStageForBranch(name, "main")).toBe("feature-login");
    for (const stage of stages) expect(stage).toMatch(/^br-feature-login-[0-9a-f]{8}$/);
  });

  it("never gives a branch a laptop's stage: `demo` and a username are previews like any branch", () => {
    for (const name of ["demo", "alice", "os-user"]) {
      expect(stageForBranch(name, "main")).toMatch(new RegExp(`^br-${name}-[0-9a-f]{8}$`));
      expect(isPreviewStage(stageForBranch(name, "main"))).toBe(true);
    }
  });

  it("never lets a branch named like production share prod's stage", () => {
    const stage = stageForBranch("prod", "main");
    expect(stage).not.toBe(PRODUCTION_STAGE);
    expect(stage).toMatch(/^br-prod-[0-9a-f]{8}$/);
  });

  it.each(PROTECTED_STAGES)("never lets a branch named %s deploy over (or tear down) that protected stage", (name) => {
    expect(stageForBranch(name, "main")).toMatch(new RegExp(`^br-${name}-[0-9a-f]{8}$`));
    expect(stageForBranch(name.toUpperCase(), "main")).not.toBe(name);
  });

  it("keeps long names within the limit and apart when they share a prefix", () => {
    const a = stageForBranch(`feature/${"x".repeat(60)}-one`, "main");
    const b = stageForBranch(`feature/${"x".repeat(60)}-two`, "main");
    expect(a).not.toBe(b);
    for (const stage of [a, b, previewStage("a".repeat(250)), previewStage("feature/a-------------------b")]) {
      expect(stage.length).toBeLessThanOrEqual(MAX_STAGE_LENGTH);
      expect(() => assertValidStage(stage)).not.toThrow();
    }
  });

  it("hashes names with no usable characters", () => {
    expect(previewStage("___")).toMatch(/^br-[0-9a-f]{8}$/);
    expect(previewStage("ünïcödé/分支")).toMatch(/^br-[a-z0-9-]+$/);
    expect(slugStage("___")).toMatch(/^s-[0-9a-f]{6}$/);
    expect(slugStage("ünïcödé/分支")).toMatch(/^[a-z0-9-]+$/);
  });

  it("keeps usernames out of the previews' prefix", () => {
    expect(slugStage("alice")).toBe("alice");
    expect(slugStage("br-alice")).toMatch(/^u-br-alice-[0-9a-f]{6}$/);
    expect(isPreviewStage(slugStage("BR_x"))).toBe(false);
  });
});

describe("legacyStageForBranch (the sweeper's view of previews named the old way)", () => {
  it("is the old slug, prod for the default branch, and a hash for protected names", () => {
    expect(legacyStageForBranch("feature/Add_Login", "main")).toBe("feature-add-login");
    expect(legacyStageForBranch("main", "main")).toBe(PRODUCTION_STAGE);
    expect(legacyStageForBranch("staging", "main")).toMatch(/^staging-[0-9a-f]{6}$/);
  });
});

describe("assertValidStage", () => {
  it.each(["", "UPPER", "under_score", "-lead", "trail-", "double--dash", "a".repeat(MAX_STAGE_LENGTH + 1)])(
    "rejects %j with a StageError",
    (stage) => {
      expect(() => assertValidStage(stage)).toThrow(StageError);
    },
  );

  it("accepts simple names", () => {
    expect(assertValidStage("pr-42")).toBe("pr-42");
  });
});

describe("resolveStage", () => {
  it(`refuses a preview name (${PREVIEW_STAGE_PREFIX}…) from a laptop unless STAGE_BRANCH says which branch acts`, () => {
    const preview = stageForBranch("feature/login", "main");
    expect(() => local({ USER: "alice" }, ["--stage", preview])).toThrow(/reserved for them.*STAGE_BRANCH/);
    expect(() => local({ USER: "alice", STAGE: "br-mine" })).toThrow(StageError);
    expect(() => resolveStage({ argv: [], env: { STAGE: preview }, purpose: "destroy" })).toThrow(/branch preview/);
    expect(local({ STAGE_BRANCH: "feature/login" }, ["--stage", preview])).toBe(preview);
    expect(resolveStage({ argv: ["--stage", preview], env: { GITHUB_ACTIONS: "true" }, purpose: "deploy" })).toBe(
      preview,
    );
    // Names that only look similar are a laptop's to use.
    expect(local({}, ["--stage", "brand-new"])).toBe("brand-new");
  });

  it("prefers an explicit --stage, then STAGE", () => {
    expect(local({ USER: "alice" }, ["--dev", "--stage", "demo"])).toBe("demo");
    expect(local({ USER: "alice", STAGE: "from-env" })).toBe("from-env");
  });

  it("validates an explicit stage and requires a value", () => {
    expect(() => local({}, ["--stage", "Bad_Name"])).toThrow(/lowercase/);
    expect(() => local({}, ["--stage"])).toThrow(/needs a value/);
  });

  it("uses the username locally for dev, falling back to the OS account", () => {
    expect(local({ USER: "Alice.Smith" })).toBe("alice-smith");
    expect(local({})).toBe("os-user");
  });

  it("deploys prod by default and refuses an implicit destroy", () => {
    expect(resolveStage({ argv: [], env: { USER: "alice" }, purpose: "deploy" })).toBe("prod");
    expect(() => resolveStage({ argv: [], env: { USER: "alice" }, purpose: "destroy" })).toThrow(/explicit stage/);
  });

  it("follows GitHub Actions: push, pull request head branch, branch delete", () => {
    const gh = { GITHUB_ACTIONS: "true", DEFAULT_BRANCH: "main" };
    const resolve = (env: Record<string, string>) =>
      resolveStage({ argv: [], env: { ...gh, ...env }, purpose: "deploy" });
    const featX = previewStage("feat/x");
    expect(resolve({ GITHUB_REF_NAME: "main" })).toBe("prod");
    expect(resolve({ GITHUB_REF_NAME: "feat/x" })).toBe(featX);
    expect(resolve({ GITHUB_REF_NAME: "42/merge", GITHUB_HEAD_REF: "feat/x" })).toBe(featX);
    expect(resolve({ GITHUB_REF_NAME: "main", STAGE_BRANCH: "feat/x" })).toBe(featX);
    expect(() => resolve({})).toThrow(/without a branch/);
  });
});
