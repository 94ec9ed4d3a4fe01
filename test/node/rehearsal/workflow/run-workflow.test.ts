// The rehearsal's workflow runner gives environment secrets only to jobs in that environment, as GitHub does; it
// passes a dispatch's inputs, hands a second checkout to its hook, honours working-directory, records deployments.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchEvent, pushEvent } from "./events.ts";
import { type JobDeployment, type Runner, runWorkflow, type Workflow } from "./run-workflow.ts";

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

  it("passes a dispatch's inputs, a second checkout and working-directory; records each environment job's outcome", async () => {
    const checkouts: string[] = [];
    const deployments: JobDeployment[] = [];
    const runner: Runner = {
      dir,
      machineEnv: { PATH: process.env.PATH },
      apiUrl: "http://127.0.0.1:9",
      token: "ghs_test",
      secrets: {},
      checkout: async (ref, path) => {
        checkouts.push(`${ref}→${path}`);
        await mkdir(join(dir, path), { recursive: true });
      },
      startDeployment: (deployment) => (state) => deployments.push({ ...deployment, state }),
    };
    const dispatched = {
      jobs: {
        good: {
          environment: "production",
          steps: [
            { uses: "actions/checkout@x", with: { ref: expr("inputs.ref"), path: "target" } },
            { run: 'echo "where=$(basename "$PWD")" >> "$GITHUB_OUTPUT"', id: "where", "working-directory": "target" },
          ],
          outputs: { where: expr("steps.where.outputs.where") },
        },
        bad: { environment: "staging", steps: [{ run: "exit 3" }] },
        never: { needs: "bad", environment: "production", steps: [{ run: "true" }] },
      },
    } as unknown as Workflow;
    const results = await runWorkflow(dispatched, dispatchEvent("main", "b".repeat(40), { ref: "v1.0.0" }), runner);
    expect(checkouts).toEqual(["v1.0.0→target"]);
    expect(results.good?.outputs.where).toBe("target");
    expect(deployments).toEqual([
      { environment: "production", sha: "b".repeat(40), state: "success" },
      { environment: "staging", sha: "b".repeat(40), state: "failure" },
    ]);
  });
});
