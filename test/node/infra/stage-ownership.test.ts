import { describe, expect, it } from "vitest";
import { APP_NAME } from "../../../infra/core/runtime.ts";
import { previewStage } from "../../../infra/core/stage.ts";
import {
  actingBranch,
  assertOwnership,
  deployVerdict,
  destroyVerdict,
  ownerToRecord,
  readStageOwner,
  STAGE_OWNER_BINDING,
  StageOwnershipError,
} from "../../../infra/stage-ownership.ts";
import { cloudflareClientFromEnv } from "../../../infra/vendors/cloudflare-api.ts";
import { ACCOUNT, cf, deployEnv, fakeApi } from "../delivery/fake-api.ts";

const login = previewStage("feature/login");
const settingsPath = (stage: string) =>
  `GET /client/v4/accounts/${ACCOUNT}/workers/scripts/${APP_NAME}-worker-${stage}/settings`;
const ownedBy = (stage: string, owner: string) => ({
  [settingsPath(stage)]: () =>
    cf({
      bindings: [
        { type: "plain_text", name: STAGE_OWNER_BINDING, text: owner },
        { type: "d1", name: "DB" },
      ],
    }),
});

describe("deployVerdict", () => {
  it("lets the owner, or the branch the name derives from, deploy a preview", () => {
    expect(deployVerdict({ stage: login, owner: "feature/login", branch: "feature/login" }).ok).toBe(true);
    expect(deployVerdict({ stage: login, owner: undefined, branch: "feature/login" }).ok).toBe(true);
  });

  it("refuses another branch, naming the owner and the branch's own stage", () => {
    const verdict = deployVerdict({ stage: login, owner: "feature/login", branch: "feature-login" });
    expect(verdict).toEqual({ ok: false, message: expect.stringContaining('belongs to branch "feature/login"') });
    expect(verdict.ok || verdict.message).toContain(previewStage("feature-login"));
    // No owner recorded yet: only the branch the name was made from may claim it.
    expect(deployVerdict({ stage: login, owner: undefined, branch: "feature-login" }).ok).toBe(false);
    expect(deployVerdict({ stage: login, owner: undefined, branch: undefined }).ok).toBe(false);
  });

  it("has nothing to say about stages that are not previews", () => {
    for (const stage of ["prod", "staging", "demo"])
      expect(deployVerdict({ stage, owner: undefined, branch: undefined }).ok).toBe(true);
  });
});

describe("destroyVerdict", () => {
  it("leaves a stage another branch owns alone, and allows the owner or an unowned stage", () => {
    expect(destroyVerdict({ stage: login, owner: "feature/login", branch: "feature-login" })).toEqual({
      ok: false,
      message: expect.stringMatching(/belongs to branch "feature\/login", not "feature-login": left alone/),
    });
    expect(destroyVerdict({ stage: login, owner: "feature/login", branch: "feature/login" }).ok).toBe(true);
    expect(destroyVerdict({ stage: login, owner: undefined, branch: "main" }).ok).toBe(true);
  });
});

describe("actingBranch and ownerToRecord", () => {
  it("takes STAGE_BRANCH, else GitHub's branch in Actions, else nothing", () => {
    expect(actingBranch({ STAGE_BRANCH: "a", GITHUB_ACTIONS: "true", GITHUB_REF_NAME: "b" })).toBe("a");
    expect(actingBranch({ GITHUB_ACTIONS: "true", GITHUB_REF_NAME: "b" })).toBe("b");
    expect(actingBranch({ GITHUB_REF_NAME: "b" })).toBeUndefined();
  });

  it("records the acting branch on previews only, and refuses a preview without one", () => {
    expect(ownerToRecord(login, { GITHUB_ACTIONS: "true", GITHUB_REF_NAME: "feature/login" })).toBe("feature/login");
    expect(ownerToRecord("prod", { GITHUB_ACTIONS: "true", GITHUB_REF_NAME: "main" })).toBe("");
    expect(() => ownerToRecord(login, {})).toThrow(StageOwnershipError);
  });
});

describe("readStageOwner", () => {
  it("reads the owner off the Worker's plain-text binding", async () => {
    const api = fakeApi(ownedBy(login, "feature/login"));
    const cloudflare = cloudflareClientFromEnv(deployEnv, api.fetch);
    expect(await readStageOwner(cloudflare, login)).toEqual({ deployed: true, owner: "feature/login" });
  });

  it("reports a missing Worker as not deployed, and a Worker without the binding as unowned", async () => {
    const api = fakeApi({ [settingsPath("demo")]: () => cf({ bindings: [] }) });
    const cloudflare = cloudflareClientFromEnv(deployEnv, api.fetch);
    expect(await readStageOwner(cloudflare, login)).toEqual({ deployed: false, owner: undefined });
    expect(await readStageOwner(cloudflare, "demo")).toEqual({ deployed: true, owner: undefined });
  });
});

describe("assertOwnership (the deploy program's own check)", () => {
  const cloudflare = cloudflareClientFromEnv(deployEnv, fakeApi(ownedBy(login, "feature/login")).fetch);
  const gh = (branch: string) => ({ GITHUB_ACTIONS: "true", GITHUB_REF_NAME: branch });

  it("refuses a deploy or destroy for another branch, and lets the owner through", async () => {
    await expect(assertOwnership({ cloudflare, stage: login, purpose: "deploy", env: gh("main") })).rejects.toThrow(
      StageOwnershipError,
    );
    await expect(
      assertOwnership({ cloudflare, stage: login, purpose: "destroy", env: { STAGE_BRANCH: "feature-login" } }),
    ).rejects.toThrow(/left alone/);
    await expect(
      assertOwnership({ cloudflare, stage: login, purpose: "deploy", env: gh("feature/login") }),
    ).resolves.toBeUndefined();
  });
});
