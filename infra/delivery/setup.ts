// `npm run setup`: checks what a new fork needs before its first deploy and names what is missing. Never prints a value.
import { BLACKHOLE_API_URL, PLACEHOLDER_ACCOUNT_ID, PLACEHOLDER_API_TOKEN } from "../core/credentials.ts";
import { CLOUDFLARE_CREDENTIALS, DEPLOY_VARIABLES } from "../core/deploy-secrets.ts";
import { type CloudflareClient, cloudflareClientFromEnv } from "../vendors/cloudflare-api.ts";
import type { Fetch } from "../vendors/github-api.ts";
import { cloudflareChecks } from "./setup-cloudflare.ts";
import { type Gh, gitHubChecks } from "./setup-github.ts";
import type { Plan } from "./setup-quota.ts";
import { fail, ok, renderCheck, type SetupCheck, warn } from "./setup-report.ts";

type Env = Readonly<Record<string, string | undefined>>;

const ACCOUNT_ID_PATTERN = /^[0-9a-f]{32}$/;

/** The four deploy variables, by name only; and the Cloudflare pair usable for the API checks, or why not. */
function environmentCheck(env: Env): { check: SetupCheck; cloudflareUsable: boolean } {
  const title = "Deploy variables";
  const missing = DEPLOY_VARIABLES.filter((name) => !env[name]);
  const cloudflareUsable = CLOUDFLARE_CREDENTIALS.every((name) => env[name]);
  if (env.CLOUDFLARE_API_TOKEN === PLACEHOLDER_API_TOKEN || env.CLOUDFLARE_ACCOUNT_ID === PLACEHOLDER_ACCOUNT_ID) {
    const fix = "export the real values (docs/deploying.md); the placeholders are for local dev only";
    return { check: fail(title, "CLOUDFLARE_* hold the local-dev placeholders", fix), cloudflareUsable: false };
  }
  if (env.CLOUDFLARE_BASE_URL === BLACKHOLE_API_URL) {
    return {
      check: fail(title, "CLOUDFLARE_BASE_URL points at the local-dev blackhole", "unset CLOUDFLARE_BASE_URL"),
      cloudflareUsable: false,
    };
  }
  if (env.CLOUDFLARE_ACCOUNT_ID && !ACCOUNT_ID_PATTERN.test(env.CLOUDFLARE_ACCOUNT_ID)) {
    const fix = "copy the Account ID from the dashboard (Workers & Pages, sidebar): 32 hex characters";
    return {
      check: fail(title, "CLOUDFLARE_ACCOUNT_ID is not 32 lowercase hex characters", fix),
      cloudflareUsable: false,
    };
  }
  if (missing.length > 0) {
    const fix = `export ${missing.join(", ")} in this shell (docs/deploying.md says what each is); values are never printed`;
    return { check: fail(title, `missing ${missing.join(", ")}`, fix), cloudflareUsable };
  }
  return { check: ok(title, `${DEPLOY_VARIABLES.join(", ")} are set`), cloudflareUsable };
}

export interface SetupOptions {
  env: Env;
  fetch: Fetch;
  gh: Gh;
  plan: Plan;
  wantedPreviews: number;
  now?: Date;
}

export async function runSetupChecks(options: SetupOptions): Promise<SetupCheck[]> {
  const { check, cloudflareUsable } = environmentCheck(options.env);
  let cloudflare: SetupCheck[];
  if (cloudflareUsable) {
    const client: CloudflareClient = cloudflareClientFromEnv(options.env, options.fetch);
    cloudflare = await cloudflareChecks({
      client,
      env: options.env,
      plan: options.plan,
      wantedPreviews: options.wantedPreviews,
      now: options.now ?? new Date(),
    });
  } else {
    cloudflare = [
      warn(
        "Cloudflare",
        "not checked: needs usable CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID",
        "fix the line above",
      ),
    ];
  }
  return [check, ...cloudflare, ...(await gitHubChecks(options.gh))];
}

/** Renders every check; exit status 1 when any failed. */
export function reportSetup(checks: SetupCheck[], out: (line: string) => void): number {
  for (const check of checks) for (const line of renderCheck(check)) out(line);
  const failed = checks.filter((check) => check.verdict === "fail").length;
  const warned = checks.filter((check) => check.verdict === "warn").length;
  out(
    failed
      ? `${failed} check(s) failed: fix the ✗ lines and run npm run setup again.`
      : `Ready to deploy${warned ? ` (${warned} warning(s) above)` : ""}.`,
  );
  return failed ? 1 : 0;
}
