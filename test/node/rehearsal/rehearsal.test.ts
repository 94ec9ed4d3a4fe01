// The deploy path, rehearsed: the real `npm run deploy` / `destroy` and the delivery workflows' jobs against local
// doubles of the Cloudflare and GitHub APIs. The scenarios use separate stages, so they run side by side.
import { describe, it } from "vitest";
import { useRehearsal } from "./rehearsal-context.ts";
import { collidingBranchesGetTwoStages, droppedTeardownIsDoneByTheDeploy } from "./scenarios/branch-stages.ts";
import { dataSafetyScenarios } from "./scenarios/data-safety.ts";
import { deployLifecycle } from "./scenarios/deploy-lifecycle.ts";
import { guardRails } from "./scenarios/guard-rails.ts";
import { editedMigrationRefused, restorePointAndFailedMigration } from "./scenarios/migration-safety.ts";
import { previewFromPushToDelete, productionIsNeverAPreview } from "./scenarios/preview-workflow.ts";
import { probeFailureStopsTheRelease, productionPathAndRollback } from "./scenarios/release-path.ts";
import { perStageConfiguration } from "./scenarios/stage-config.ts";
import { upgradeThenRollBack } from "./scenarios/upgrade-path.ts";

/**
 * Each scenario takes tens of seconds on an idle machine and several minutes when the scenarios run side by side on a
 * loaded runner: the bound catches a stuck scenario, not a slow one.
 */
const SCENARIO_TIMEOUT_MS = 600_000;

describe.concurrent("deploy rehearsal against the Cloudflare API double", () => {
  const rehearsal = useRehearsal();

  it(
    "deploys a fresh stage that serves a user, redeploys it unchanged, applies a new migration once, destroys it",
    () => deployLifecycle(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "refuses a deploy that would drop a Durable Object class, and names what a failed delete left behind",
    () => guardRails(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "runs the preview workflow's jobs for push → pull request → branch delete: stage, comment, teardown, verification",
    () => previewFromPushToDelete(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "resolves a push to the default branch to production, which the teardown refuses",
    () => productionIsNeverAPreview(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "gives feature/login and feature-login two stages: both deploy, tearing one down leaves the other serving",
    () => collidingBranchesGetTwoStages(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "a deploy that replaced a queued teardown in the stage's group finds its branch gone and tears down instead",
    () => droppedTeardownIsDoneByTheDeploy(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );

  for (const [title, run] of dataSafetyScenarios) it(title, () => run(rehearsal), SCENARIO_TIMEOUT_MS);
  it(
    "records a D1 restore point before migrating a protected stage; a failing file is reported and undone with it",
    () => restorePointAndFailedMigration(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );
  it(
    "refuses a protected stage whose applied migration was edited; a preview rebuilds its database instead",
    () => editedMigrationRefused(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );
  it(
    "gives production and a preview their own variables and prod its custom domain, the pepper as secret_text on each, and refuses a bad value or a missing secret before writing",
    () => perStageConfiguration(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );
  it(
    "upgrades from the previous release with every record served, rolls code back one release and forward again",
    () => upgradeThenRollBack(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );
  it(
    "releases through CI → staging → prod, each probed signed in; rolls prod back from N+1 to N with its data intact",
    () => productionPathAndRollback(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );
  it(
    "marks the deployment failed when the probe fails: staging serves the commit but not signed in, prod never deploys",
    () => probeFailureStopsTheRelease(rehearsal),
    SCENARIO_TIMEOUT_MS,
  );
});
