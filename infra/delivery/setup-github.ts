// `npm run setup`'s GitHub checks through the `gh` CLI: the deploy secrets and the environments the workflows use.
// `gh` prints secret names only (GitHub never returns a secret's value), so nothing secret passes through here.
import { DEPLOY_SECRETS } from "../deploy-secrets.ts";
import { PRODUCTION_ENVIRONMENT } from "../names.ts";
import { STAGING_STAGE } from "../stage.ts";
import { fail, ok, type SetupCheck, warn } from "./setup-report.ts";

export interface GhResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `gh ARGS` in the clone; undefined when gh is not installed. */
export type Gh = (args: string[]) => Promise<GhResult | undefined>;

/** The environments a release goes through: production holds its credentials and reviewers, staging comes first. */
const RELEASE_ENVIRONMENTS = [PRODUCTION_ENVIRONMENT, STAGING_STAGE];

const BY_HAND =
  `in the repository's Settings → Secrets and variables → Actions, check ${DEPLOY_SECRETS.join(", ")}; ` +
  `in Settings → Environments, check ${RELEASE_ENVIRONMENTS.join(" and ")} (or install gh: https://cli.github.com)`;

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

async function secretCheck(gh: Gh, existing: Environment[]): Promise<SetupCheck> {
  const places = new Map<string, string[]>();
  const record = (where: string, found: string[]) => {
    for (const name of found) places.set(name, [...(places.get(name) ?? []), where]);
  };
  record("repository", names(await ghJson(gh, ["secret", "list", "--json", "name"])));
  for (const environment of existing.filter((candidate) => RELEASE_ENVIRONMENTS.includes(candidate.name))) {
    record(
      `environment ${environment.name}`,
      names(await ghJson(gh, ["secret", "list", "--env", environment.name, "--json", "name"])),
    );
  }
  const missing = DEPLOY_SECRETS.filter((name) => !places.has(name));
  if (missing.length > 0) {
    return fail(
      "GitHub secrets",
      `missing ${missing.join(", ")}`,
      `gh secret set NAME (add --env ENVIRONMENT for an environment's secret), where README "Deploying" puts each`,
    );
  }
  const where = DEPLOY_SECRETS.map((name) => `${name} (${places.get(name)?.join(", ")})`).join("; ");
  return ok("GitHub secrets", where);
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
