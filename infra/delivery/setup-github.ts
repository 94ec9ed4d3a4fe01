// `npm run setup`'s GitHub checks through the `gh` CLI: the deploy secrets and the environments the workflows use.
// `gh` prints secret names only (GitHub never returns a secret's value), so nothing secret passes through here.
import {
  DEPLOY_VARIABLES,
  PREVIEW_SECRET_PREFIX,
  previewSecret,
  RELEASE_ENVIRONMENTS,
} from "../core/deploy-secrets.ts";
import { PRODUCTION_ENVIRONMENT } from "../core/names.ts";
import { STAGING_STAGE } from "../core/stage.ts";
import { fail, ok, type SetupCheck, warn } from "./setup-report.ts";

export interface GhResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `gh ARGS` in the clone; undefined when gh is not installed. */
export type Gh = (args: string[]) => Promise<GhResult | undefined>;

const BY_HAND =
  `in Settings → Environments, check that ${RELEASE_ENVIRONMENTS.join(" and ")} each hold ${DEPLOY_VARIABLES.join(", ")}; ` +
  `in Settings → Secrets and variables → Actions, check the ${PREVIEW_SECRET_PREFIX}* repository secrets ` +
  "(or install gh: https://cli.github.com)";

class GhFailure extends Error {}

async function ghJson(gh: Gh, args: string[]): Promise<unknown> {
  const result = await gh(args);
  if (!result) throw new GhFailure("gh is not installed");
  if (result.code !== 0) {
    const firstLine = result.stderr.trim().split("\n")[0] || `exit code ${result.code}`;
    throw new GhFailure(`gh ${args.slice(0, 2).join(" ")} failed: ${firstLine}`);
  }
  return JSON.parse(result.stdout) as unknown;
}

function names(value: unknown): string[] {
  if (!Array.isArray(value)) throw new GhFailure("gh returned something other than a list");
  return value.flatMap((item) => (typeof item?.name === "string" ? [item.name as string] : []));
}

interface Environment {
  name: string;
  restricted: boolean;
}

function environments(value: unknown): Environment[] {
  const list = (value as { environments?: unknown } | null)?.environments;
  if (!Array.isArray(list)) throw new GhFailure("gh api .../environments returned no environment list");
  return list.flatMap((item) =>
    typeof item?.name === "string"
      ? [{ name: item.name as string, restricted: Boolean(item.deployment_branch_policy) }]
      : [],
  );
}

function environmentCheck(existing: Environment[]): SetupCheck {
  const title = "GitHub environments";
  const production = existing.find((environment) => environment.name === PRODUCTION_ENVIRONMENT);
  const howTo = `Settings → Environments → New environment "${PRODUCTION_ENVIRONMENT}", Deployment branches: the default branch only (add required reviewers where your plan allows)`;
  if (!production) {
    return fail(
      title,
      `"${PRODUCTION_ENVIRONMENT}" is missing: production's credentials and reviewers belong there`,
      howTo,
    );
  }
  if (!production.restricted) {
    return warn(title, `"${PRODUCTION_ENVIRONMENT}" accepts deployments from any branch`, howTo);
  }
  if (!existing.some((environment) => environment.name === STAGING_STAGE)) {
    return warn(
      title,
      `"${STAGING_STAGE}" is missing (the first release creates it, with no branch restriction)`,
      `Settings → Environments → New environment "${STAGING_STAGE}", Deployment branches: the default branch only`,
    );
  }
  return ok(
    title,
    `${RELEASE_ENVIRONMENTS.join(" and ")} exist; ${PRODUCTION_ENVIRONMENT} is restricted to chosen branches`,
  );
}

/**
 * The layout docs/credentials.md describes: production and staging hold the deploy values as their
 * environments' secrets, previews read PREVIEW_* repository secrets, and no production value is a
 * repository secret (every branch's code can read those).
 */
async function secretCheck(gh: Gh, existing: Environment[]): Promise<SetupCheck> {
  const title = "GitHub secrets";
  const repository = new Set(names(await ghJson(gh, ["secret", "list", "--json", "name"])));
  const missing: string[] = [];
  for (const environment of RELEASE_ENVIRONMENTS) {
    const found = existing.some((candidate) => candidate.name === environment)
      ? new Set(names(await ghJson(gh, ["secret", "list", "--env", environment, "--json", "name"])))
      : new Set<string>();
    for (const name of DEPLOY_VARIABLES) if (!found.has(name)) missing.push(`${name} (environment ${environment})`);
  }
  for (const name of DEPLOY_VARIABLES.map(previewSecret))
    if (!repository.has(name)) missing.push(`${name} (repository)`);
  if (missing.length > 0) {
    return fail(
      title,
      `missing ${missing.join(", ")}`,
      "gh secret set NAME --env ENVIRONMENT for staging and production, gh secret set PREVIEW_NAME for previews (docs/credentials.md)",
    );
  }
  const exposed = DEPLOY_VARIABLES.filter((name) => repository.has(name));
  if (exposed.length > 0) {
    return warn(
      title,
      `${exposed.join(", ")} also exist as repository secrets, which every branch's code can read`,
      "delete them (gh secret delete NAME) now that the environments hold them, and roll the token (docs/credentials.md)",
    );
  }
  return ok(
    title,
    `${RELEASE_ENVIRONMENTS.join(" and ")} hold ${DEPLOY_VARIABLES.join(", ")}; previews read the ${PREVIEW_SECRET_PREFIX}* repository secrets`,
  );
}

export async function gitHubChecks(gh: Gh): Promise<SetupCheck[]> {
  const version = await gh(["--version"]);
  if (!version) return [warn("GitHub", "gh is not installed, so secrets and environments were not checked", BY_HAND)];
  try {
    const existing = environments(await ghJson(gh, ["api", "repos/{owner}/{repo}/environments"]));
    return [await secretCheck(gh, existing), environmentCheck(existing)];
  } catch (error) {
    if (!(error instanceof GhFailure || error instanceof SyntaxError)) throw error;
    return [
      warn(
        "GitHub",
        `not checked: ${error.message}`,
        `run it inside your clone after gh auth login (gh needs to read the repository's secrets), or ${BY_HAND}`,
      ),
    ];
  }
}
