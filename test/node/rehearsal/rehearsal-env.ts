// The environment every rehearsal command gets: the double's URL and credentials, a fresh state password, offline.
import { randomBytes } from "node:crypto";
import { PLACEHOLDER_ACCOUNT_ID, PLACEHOLDER_API_TOKEN } from "../../../infra/core/credentials.ts";
import type { CloudflareDouble } from "./cloudflare-double/index.ts";

/** A fake account of the double: deliberately not the local-dev placeholders, which a deploy refuses. */
export const REHEARSAL_ACCOUNT_ID = "7e57ab1ec0de4d0e9a1f2b3c4d5e6f70";
export const REHEARSAL_API_TOKEN = "rehearsal-api-token-not-a-secret";
if (
  [PLACEHOLDER_ACCOUNT_ID, PLACEHOLDER_API_TOKEN].some(
    (value) => value === REHEARSAL_ACCOUNT_ID || value === REHEARSAL_API_TOKEN,
  )
) {
  throw new Error("The rehearsal must not use the local-dev placeholder credentials.");
}

/** One per test run, like a team's ALCHEMY_PASSWORD: the same for every command, so state secrets stay readable. */
export const STATE_PASSWORD = randomBytes(16).toString("hex");
/** The Worker secret a deploy must be given (infra/worker-secrets.ts); scenarios look for it in outputs and state. */
export const PASSWORD_PEPPER = randomBytes(32).toString("base64");

const NETWORK_GUARD = new URL("./network-guard.mjs", import.meta.url).href;

/** Inherited variables that would steer a deploy elsewhere (a real account, a CI branch, another state store). */
const STEERING =
  /^(CLOUDFLARE_|CF_|ALCHEMY_|GITHUB_|RUNNER_|STAGE$|STAGE_BRANCH$|PULL_REQUEST$|COMMIT_SHA$|DEFAULT_BRANCH$|NODE_OPTIONS$|FORCE_COLOR$)/;

/**
 * The machine a command runs on: inherited variables that would steer it elsewhere removed, the double standing in
 * for the network (its API URL, its workers.dev gateway, the guard that refuses any other host). No credentials.
 */
export function machineEnv(double: CloudflareDouble, projectDir: string): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !STEERING.test(name)));
  return {
    ...base,
    CLOUDFLARE_BASE_URL: double.baseUrl,
    CLOUDFLARE_DOUBLE_GATEWAY: double.gatewayUrl,
    ALCHEMY_ROOT: projectDir,
    ALCHEMY_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
    npm_config_update_notifier: "false",
    NODE_OPTIONS: `--import=${NETWORK_GUARD}`,
  };
}

/** A laptop deploy: the double's credentials, a fresh state password, state on disk in the project copy. */
export function rehearsalEnv(double: CloudflareDouble, projectDir: string): NodeJS.ProcessEnv {
  return {
    ...machineEnv(double, projectDir),
    CLOUDFLARE_API_TOKEN: REHEARSAL_API_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: REHEARSAL_ACCOUNT_ID,
    ALCHEMY_PASSWORD: STATE_PASSWORD,
    PASSWORD_PEPPER,
    ALCHEMY_STATE_STORE: "filesystem",
  };
}
