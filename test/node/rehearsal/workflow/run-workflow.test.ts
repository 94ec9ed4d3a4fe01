// The rehearsal's workflow runner gives environment secrets only to jobs in that environment, as GitHub does.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushEvent } from "./events.ts";
import { type Runner, runWorkflow, type Workflow } from "./run-workflow.ts";

/** A GitHub expression as it appears in the YAML. */
const expr = (inner: string) => `\${{ ${inner} }}`;

/** Prints which of the two secrets the step received: an unset secret renders as "". */
const reportSecrets = {
  run: 'echo "seen=$RELEASE/$PREVIEW" >> "$GITHUB_OUTPUT"',
  id: "report",
  env: { RELEASE: expr("secrets.TOKEN"), PREVIEW: expr("secrets.PREVIEW_TOKEN") },
};
const seen = { seen: expr("steps.report.outputs.seen") };

const workflow = {
  jobs: {
    stage: {
      steps: [{ run: 'echo "environment=production" >> "$GITHUB_OUTPUT"', id: "env" }],
      outputs: { environment: expr("steps.env.outputs.environment") },
    },
    preview: { needs: "stage", environment: { name: "preview-x" }, steps: [reportSecrets], outputs: seen },
    none: { needs: "stage", steps: [reportSecrets], outputs: seen },
    literal: { needs: "stage", environment: "production", steps: [reportSecrets], outputs: seen },
    computed: {
      needs: "stage",
      environment: { name: expr("needs.stage.outputs.environment") },
      steps: [reportSecrets],
      outputs: seen,
    },
  },
} as unknown as Workflow;

describe("runWorkflow's secrets", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "run-workflow-test-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives repository secrets to every job and an environment's secrets only to jobs in it", async () => {
    const runner: Runner = {
      dir,
      machineEnv: { PATH: process.env.PATH },
      apiUrl: "http://127.0.0.1:9",
      token: "ghs_test",
      secrets: { PREVIEW_TOKEN: "preview" },
      environmentSecrets: { production: { TOKEN: "release" } },
    };
    const results = await runWorkflow(workflow, pushEvent("feature", "a".repeat(40)), runner);
    const outputs = Object.fromEntries(Object.entries(results).map(([id, job]) => [id, job.outputs.seen]));
    expect(outputs).toEqual({
      stage: undefined,
      preview: "/preview",
      none: "/preview",
      literal: "release/preview",
      computed: "release/preview",
    });
  });
});
