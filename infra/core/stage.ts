// Stage naming: the one place that decides which environment a command acts on. Pure and unit-tested.
import { createHash } from "node:crypto";
import { isProtectedStage } from "./protected-stages.ts";

export const PRODUCTION_STAGE = "prod";
/** Deployed from the default branch just before prod; keeps its data (infra/core/protected-stages.ts). */
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

function shortHash(text: string, length = HASH_LENGTH): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * Every stage the workflows make for a branch starts with this, and no other stage may: a laptop's `--stage`
 * refuses it (resolveStage) and a username never slugs to it. So a branch named `demo` or `alice` never
 * deploys over (or tears down) the stage someone deploys by hand, and vice versa.
 */
export const PREVIEW_STAGE_PREFIX = "br-";
/** 32 bits of the exact branch name: `feature/login`, `feature-login` and `Feature_Login` get three stages. */
const BRANCH_HASH_LENGTH = 8;
const PREVIEW_SLUG_LENGTH = MAX_STAGE_LENGTH - PREVIEW_STAGE_PREFIX.length - 1 - BRANCH_HASH_LENGTH;

/** True for a stage name reserved for branch previews (`br-…`). */
export function isPreviewStage(stage: string): boolean {
  return stage.startsWith(PREVIEW_STAGE_PREFIX);
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * A deterministic, Cloudflare-safe slug of a free-form name (a username, for laptop stages).
 * Names that had to be shortened or altered in a lossy way get a hash of the original
 * appended, so two long names that share a prefix never map to the same stage.
 */
export function slugStage(name: string): string {
  const plain = slug(name);
  // A username like `br-x` must not land among branch previews: it becomes `u-br-x-<hash>`.
  const base = isPreviewStage(plain) ? `u-${plain}` : plain;
  // A name like a protected stage (`prod`, `staging`) must never deploy over it or tear it down.
  const needsHash = base !== plain || !base || base.length > MAX_STAGE_LENGTH || isProtectedStage(base);
  if (!needsHash) return base;
  const head = base.slice(0, MAX_STAGE_LENGTH - HASH_LENGTH - 1).replace(/-+$/g, "");
  return head ? `${head}-${shortHash(name)}` : `s-${shortHash(name)}`;
}

/**
 * The preview stage of a (non-default) branch: `br-<slug, at most 20 characters>-<8 hex of the exact name>`.
 * The slug is for people; the hash of the exact name (case, slashes and all) is what makes it unique.
 */
export function previewStage(branch: string): string {
  const name = branch.replace(/^refs\/heads\//, "");
  if (!name) throw new StageError("Branch name is empty.");
  const head = slug(name).slice(0, PREVIEW_SLUG_LENGTH).replace(/-+$/g, "");
  const hash = shortHash(name, BRANCH_HASH_LENGTH);
  return head ? `${PREVIEW_STAGE_PREFIX}${head}-${hash}` : `${PREVIEW_STAGE_PREFIX}${hash}`;
}

/** `prod` for the default branch; the branch's own preview stage (previewStage) for every other branch. */
export function stageForBranch(branch: string, defaultBranch: string): string {
  const name = branch.replace(/^refs\/heads\//, "");
  if (!name) throw new StageError("Branch name is empty.");
  return name === defaultBranch ? PRODUCTION_STAGE : previewStage(name);
}

/**
 * The stage a branch got before previews were named by previewStage (a plain slug, shared by `feature/login` and
 * `feature-login`). Only the sweeper uses it, to keep such a stage while a branch that could own it exists and
 * to remove it once none does (docs/previews.md, "Previews named the old way").
 */
export function legacyStageForBranch(branch: string, defaultBranch: string): string {
  const name = branch.replace(/^refs\/heads\//, "");
  if (!name) throw new StageError("Branch name is empty.");
  if (name === defaultBranch) return PRODUCTION_STAGE;
  const plain = slug(name);
  const needsHash = !plain || plain.length > MAX_STAGE_LENGTH || isProtectedStage(plain);
  if (!needsHash) return plain;
  const head = plain.slice(0, MAX_STAGE_LENGTH - HASH_LENGTH - 1).replace(/-+$/g, "");
  return head ? `${head}-${shortHash(name)}` : `s-${shortHash(name)}`;
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

/**
 * A preview stage (`br-…`) may be named only where a branch is acting: in GitHub Actions, or with STAGE_BRANCH
 * saying which branch you act for. Which branch may then deploy or destroy it is infra/stage-ownership.ts's call.
 */
function assertMayName(stage: string, env: Readonly<Record<string, string | undefined>>): string {
  if (!isPreviewStage(stage) || env.GITHUB_ACTIONS === "true" || env.STAGE_BRANCH) return stage;
  throw new StageError(
    `Stage "${stage}" is a branch preview (names starting with "${PREVIEW_STAGE_PREFIX}" are reserved for them). ` +
      "Pick another name for a stage of your own; to act on a branch's preview, set STAGE_BRANCH to that branch (docs/previews.md).",
  );
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
  if (explicit) return assertMayName(assertValidStage(explicit), env);

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
