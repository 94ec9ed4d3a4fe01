// How many more preview stages fit on the account: each stage is one Worker and one D1 database. Pure.

import { stageResourceNames } from "../core/names.ts";
import { PROTECTED_STAGES } from "../core/protected-stages.ts";

export type Plan = "free" | "paid";

/**
 * Account-wide limits, from Cloudflare's docs: developers.cloudflare.com/workers/platform/limits/ ("Number of
 * Workers": 100 Free, 500 Paid) and developers.cloudflare.com/d1/platform/limits/ ("Databases per account": 10 Free,
 * 50,000 Paid). The API does not expose the plan to a Workers/D1 token, so `npm run setup -- --plan paid` says it.
 */
export const PLAN_LIMITS: Record<Plan, { workers: number; databases: number }> = {
  free: { workers: 100, databases: 10 },
  paid: { workers: 500, databases: 50_000 },
};

/** The Worker CloudflareStateStore creates on the account at the first deploy (alchemy 0.94). */
export const STATE_STORE_WORKER = "alchemy-state-service";

export interface PreviewRoom {
  /** Preview stages that still fit once the protected stages and the state store have their room. */
  previews: number;
  /** Protected stages not deployed yet, whose room is set aside first. */
  reserved: string[];
  usage: string;
}

export function previewRoom(input: { workers: string[]; databases: string[]; plan: Plan }): PreviewRoom {
  const limits = PLAN_LIMITS[input.plan];
  const reserved = PROTECTED_STAGES.filter((stage) => !input.workers.includes(stageResourceNames(stage).worker));
  const workersNeeded = reserved.length + (input.workers.includes(STATE_STORE_WORKER) ? 0 : 1);
  const databasesNeeded = PROTECTED_STAGES.filter(
    (stage) => !input.databases.includes(stageResourceNames(stage).database),
  ).length;
  const previews = Math.min(
    limits.workers - input.workers.length - workersNeeded,
    limits.databases - input.databases.length - databasesNeeded,
  );
  const usage =
    `${input.workers.length}/${limits.workers} Workers, ${input.databases.length}/${limits.databases} D1 databases ` +
    `(${input.plan === "free" ? "Free" : "Paid"} plan limits)`;
  return { previews, reserved, usage };
}
