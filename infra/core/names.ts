// Names derived from a stage: Cloudflare resources and the GitHub environment. Pure; no alchemy import.
import { isProtectedStage } from "./protected-stages.ts";
import { APP_NAME } from "./runtime.ts";
import { assertValidStage, PRODUCTION_STAGE, STAGING_STAGE } from "./stage.ts";

/** alchemy resource ids. They are part of every physical name and of state: never rename them once deployed. */
export const RESOURCE_ID = {
  database: "db",
  sessions: "sessions",
  loginLimiter: "login-limiter",
  worker: "worker",
} as const;

/** alchemy's physical name for a top-level resource: `{app}-{id}-{stage}`. */
export function physicalName(id: string, stage: string): string {
  return `${APP_NAME}-${id}-${stage}`.toLowerCase();
}

/** What Cloudflare calls the stage's Worker and D1 database (the Durable Object namespace hangs off the Worker). */
export function stageResourceNames(stage: string): { worker: string; database: string } {
  return { worker: physicalName(RESOURCE_ID.worker, stage), database: physicalName(RESOURCE_ID.database, stage) };
}

export const PRODUCTION_ENVIRONMENT = "production";
export const PREVIEW_ENVIRONMENT_PREFIX = "preview-";
/**
 * The sweeper's environment, restricted to the default branch: it holds SWEEPER_GITHUB_TOKEN, the one token that
 * may delete `preview-*` environments (administration rights), which no branch's code may read (docs/previews.md).
 */
export const SWEEPER_ENVIRONMENT = "sweeper";
export const SWEEPER_TOKEN_SECRET = "SWEEPER_GITHUB_TOKEN";

/**
 * The GitHub environment a deploy of this stage is recorded in. One environment per preview stage
 * keeps each pull request's deployment active on its own, and doubles as the sweeper's list of
 * stages that the workflows created (stages deployed from a laptop have none and are never swept).
 */
export function gitHubEnvironment(stage: string): string {
  if (stage === PRODUCTION_STAGE) return PRODUCTION_ENVIRONMENT;
  // Staging has an environment of its own, never `preview-staging`, which the sweeper would take for a preview.
  if (stage === STAGING_STAGE) return STAGING_STAGE;
  return `${PREVIEW_ENVIRONMENT_PREFIX}${stage}`;
}

/** The preview stage a GitHub environment records, or undefined for any other environment. */
export function stageOfPreviewEnvironment(environment: string): string | undefined {
  if (!environment.startsWith(PREVIEW_ENVIRONMENT_PREFIX)) return undefined;
  const stage = environment.slice(PREVIEW_ENVIRONMENT_PREFIX.length);
  if (isProtectedStage(stage)) return undefined;
  try {
    return assertValidStage(stage);
  } catch {
    return undefined; // an environment someone created by hand, not one of ours
  }
}
