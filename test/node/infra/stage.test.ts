import { describe, expect, it } from "vitest";
import {
  assertValidStage,
  MAX_STAGE_LENGTH,
  PRODUCTION_STAGE,
  resolveStage,
  StageError,
  slugStage,
  stageForBranch,
} from "../../../infra/stage.ts";

const local = (env: Record<string, string>, argv: string[] = []) =>
  resolveStage({ argv, env, purpose: "dev", osUser: "os-user" });

describe("stageForBranch", () => {
  it("maps the default branch to prod", () => {
    expect(stageForBranch("main", "main")).toBe(PRODUCTION_STAGE);
    expect(stageForBranch("refs/heads/trunk", "trunk")).toBe(PRODUCTION_STAGE);
  });

  it("slugs other branches deterministically", () => {
    expect(stageForBranch("feature/Add_Login", "main")).toBe("feature-add-login");
    expect(stageForBranch("feature/Add_Login", "main")).toBe(stageForBranch("feature/Add_Login", "main"));
  });

  it("never lets a branch named like production share prod's stage", () => {
    const stage = stageForBranch("prod", "main");
    expect(stage).not.toBe(PRODUCTION_STAGE);
    expect(stage).toMatch(/^prod-[0-9a-f]{6}$/);
  });

  it("never lets a branch named staging deploy over (or tear down) the protected staging stage", () => {
    expect(stageForBranch("staging", "main")).toMatch(/^staging-[0-9a-f]{6}$/);
    expect(stageForBranch("Staging", "main")).toMatch(/^staging-[0-9a-f]{6}$/);
  });

  it("truncates long names with a hash so shared prefixes do not collide", () => {
    const a = stageForBranch(`feature/${"x".repeat(60)}-one`, "main");
    const b = stageForBranch(`feature/${"x".repeat(60)}-two`, "main");
    expect(a).not.toBe(b);
    for (const stage of [a, b]) {
      expect(stage.length).toBeLessThanOrEqual(MAX_STAGE_LENGTH);
      expect(() => assertValidStage(stage)).not.toThrow();
    }
  });

  it("hashes names with no usable characters", () => {
    expect(slugStage("___")).toMatch(/^s-[0-9a-f]{6}$/);
    expect(slugStage("ünïcödé/分支")).toMatch(/^[a-z0-9-]+$/);
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
    expect(resolve({ GITHUB_REF_NAME: "main" })).toBe("prod");
    expect(resolve({ GITHUB_REF_NAME: "feat/x" })).toBe("feat-x");
    expect(resolve({ GITHUB_REF_NAME: "42/merge", GITHUB_HEAD_REF: "feat/x" })).toBe("feat-x");
    expect(resolve({ GITHUB_REF_NAME: "main", STAGE_BRANCH: "feat/x" })).toBe("feat-x");
    expect(() => resolve({})).toThrow(/without a branch/);
  });
});
