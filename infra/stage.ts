// Stage naming: the one place that decides which environment a command acts on. Pure and unit-tested.
import { createHash } from "node:crypto";
import { isProtectedStage } from "./protected-stages.ts";

export const PRODUCTION_STAGE = "prod";
/** Deployed from the default branch just before prod; keeps its data (infra/protected-stages.ts). */
export const STAGING_STAGE = "staging";
/** Cloudflare caps Worker names and workers.dev labels at 63 characters; physical names add `{app}-{id}-`. */
export const MAX_STAGE_LENGTH = 32;
const HASH_LENGTH = 6;
const STAGE_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export class StageError extends Error {
  override name = "StageError";
}

/** Throws a StageError explaining why Cloudflare would refuse a name built from this stage. */
export function assertValidStage(stage: string): string {
  if (stage.length === 0) throw new StageError("Stage name is empty.");
  if (stage.length > MAX_STAGE_LENGTH) {
    throw new StageError(
      `Stage "${stage}" is ${stage.length} characters; the limit is ${MAX_STAGE_LENGTH} (Worker and workers.dev names are capped at 63).`,
    );
  }
  if (!STAGE_PATTERN.test(stage) || stage.includes("--")) {
    throw new StageError(
      `Stage "${stage}" may only use lowercase letters, digits and single dashes, and must start and end with a letter or digit.`,
    );
  }
  return stage;
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, HASH_LENGTH);
}

/**
 * A deterministic, Cloudflare-safe slug of a free-form name (branch or username).
 * Names that had to be shortened or altered in a lossy way get a hash of the original
 * appended, so two long branches that share a prefix never map to the same stage.
 */
export function slugStage(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  // A branch named like a protected stage (`prod`, `staging`) must never deploy over it or tear it down.
  const needsHash = slug.length === 0 || slug.length > MAX_STAGE_LENGTH || isProtectedStage(slug);
  if (!needsHash) return slug;
  const head = slug.slice(0, MAX_STAGE_LENGTH - HASH_LENGTH - 1).replace(/-+$/g, "");
  return head ? `${head}-${shortHash(name)}` : `s-${shortHash(name)}`;
}

/** `prod` for the default branch; a slug of the branch name for every other branch. */
export function stageForBranch(branch: string, defaultBranch: string): string {
  const name = branch.replace(/^refs\/heads\//, "");
  if (!name) throw new StageError("Branch name is empty.");
  return name === defaultBranch ? PRODUCTION_STAGE : slugStage(name);
}

export type StagePurpose = "dev" | "deploy" | "destroy";

export interface StageInput {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  purpose: StagePurpose;
  /** The OS account name, used when USER / USERNAME are unset (containers, CI shells). */
  osUser?: string;
}

/**
 * The branch a GitHub Actions run is about: STAGE_BRANCH for events such as a branch delete (where
 * GITHUB_REF_NAME is the default branch), else a pull request's head branch, else the pushed branch.
 */
export function gitHubBranch(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return env.STAGE_BRANCH || env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || undefined;
}

function explicitStage(argv: readonly string[]): string | undefined {
  const i = argv.indexOf("--stage");
  if (i === -1) return undefined;
  const value = argv[i + 1];
  if (!value || value.startsWith("--")) throw new StageError("--stage needs a value, e.g. --stage prod.");
  return value;
}

/**
 * Resolution order: explicit `--stage` (or STAGE); then the branch GitHub Actions reports
 * (STAGE_BRANCH for events such as a branch delete, else a pull request's head branch, else the
 * pushed branch); then, on a laptop, your username for dev, `prod` for deploy, and nothing for
 * destroy, which must always name its stage.
 */
export function resolveStage({ argv, env, purpose, osUser }: StageInput): string {
  const explicit = explicitStage(argv) ?? env.STAGE;
  if (explicit) return assertValidStage(explicit);

  if (env.GITHUB_ACTIONS === "true") {
    const branch = gitHubBranch(env);
    if (!branch) throw new StageError("GitHub Actions run without a branch: pass --stage explicitly.");
    return stageForBranch(branch, env.DEFAULT_BRANCH || "main");
  }

  if (purpose === "deploy") return PRODUCTION_STAGE;
  if (purpose === "destroy")
    throw new StageError("Destroy needs an explicit stage: npm run destroy -- --stage <name>.");

  const user = env.USER || env.USERNAME || osUser;
  if (!user) throw new StageError("Cannot tell your username (USER is unset): pass --stage explicitly.");
  return slugStage(user);
}
