import { describe, expect, it } from "vitest";
import {
  gitHubEnvironment,
  PRODUCTION_ENVIRONMENT,
  physicalName,
  stageOfPreviewEnvironment,
  stageResourceNames,
} from "../../../infra/core/names.ts";
import { APP_NAME } from "../../../infra/core/runtime.ts";
import { stageForBranch } from "../../../infra/core/stage.ts";

describe("stageResourceNames", () => {
  it("follows alchemy's {app}-{id}-{stage}, lowercased", () => {
    const app = APP_NAME.toLowerCase();
    expect(stageResourceNames("feature-x")).toEqual({
      worker: `${app}-worker-feature-x`,
      database: `${app}-db-feature-x`,
    });
    expect(physicalName("worker", "")).toBe(`${app}-worker-`);
  });
});

describe("gitHubEnvironment", () => {
  it("records prod in production, staging in staging, and every other stage in its own preview environment", () => {
    expect(gitHubEnvironment("prod")).toBe(PRODUCTION_ENVIRONMENT);
    expect(gitHubEnvironment("staging")).toBe("staging");
    expect(gitHubEnvironment("feature-x")).toBe("preview-feature-x");
  });

  it("reads back the stage of a preview environment, and nothing else", () => {
    const stage = stageForBranch("feature/Sign-Up", "main");
    expect(stageOfPreviewEnvironment(gitHubEnvironment(stage))).toBe(stage);
    expect(stageOfPreviewEnvironment("production")).toBeUndefined();
    expect(stageOfPreviewEnvironment("preview-prod")).toBeUndefined();
    expect(stageOfPreviewEnvironment("preview-staging")).toBeUndefined();
    expect(stageOfPreviewEnvironment("preview-")).toBeUndefined();
    expect(stageOfPreviewEnvironment("preview-Hand Made")).toBeUndefined();
    expect(stageOfPreviewEnvironment("staging")).toBeUndefined();
  });
});
