// The data-safety scenarios (docs/data-safety.md), registered together in rehearsal.test.ts.
import type { Rehearsal } from "../rehearsal-context.ts";
import { destructiveChangeGuard } from "./destructive-change-guard.ts";
import { killedDeployIsRed } from "./killed-deploy.ts";
import { accountWithoutSubdomain } from "./new-account.ts";
import { protectedStageDestroy } from "./protected-destroy.ts";

export const dataSafetyScenarios: [string, (rehearsal: Rehearsal) => Promise<void>][] = [
  [
    "refuses to destroy a protected stage without the variable naming it, and keeps its D1 database with it",
    protectedStageDestroy,
  ],
  [
    "refuses to retire a Durable Object class or rename the database on prod until acknowledged; previews go ahead",
    destructiveChangeGuard,
  ],
  [
    "stops the first deploy on an account without a workers.dev subdomain before creating anything, or registers one",
    accountWithoutSubdomain,
  ],
  [
    "turns a killed deploy, which alchemy reports as exit 0, red: /health does not serve the new commit",
    killedDeployIsRed,
  ],
];
