// The Worker's secrets (secret_text bindings): from the deploy's environment for a deployed stage, never a
// default; generated once per checkout for local runs, so `npm run dev` and the tests need no setup.
import { randomBytes } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  PREVIEW_SECRET_PREFIX,
  RELEASE_ENVIRONMENTS,
  WORKER_SECRETS,
  type WorkerSecret,
} from "./core/deploy-secrets.ts";

export { WORKER_SECRETS, type WorkerSecret };

export type WorkerSecrets = Record<WorkerSecret, string>;
type Env = Readonly<Record<string, string | undefined>>;

/** Under .alchemy/ (git-ignored, beside the local state it belongs to): deleting .alchemy/ resets both. */
export const LOCAL_SECRETS_FILE = join(dirname(fileURLToPath(import.meta.url)), "..", ".alchemy", "local-secrets.json");

export class MissingSecretError extends Error {
  override name = "MissingSecretError";
}

const fresh = () => randomBytes(32).toString("base64");

/** New random values every call: for a test run, whose storage is thrown away with it. */
export function ephemeralSecrets(): WorkerSecrets {
  return Object.fromEntries(WORKER_SECRETS.map((name) => [name, fresh()])) as WorkerSecrets;
}

export interface LocalSecrets {
  worker: WorkerSecrets;
  /** Encrypts the local alchemy state, which holds the Worker secrets. */
  statePassword: string;
}

const STATE_PASSWORD = "ALCHEMY_PASSWORD";

/** The file's values, or undefined when there is no file yet. */
function readStored(file: string): Record<string, string> | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Local runs' secrets and state password: generated on first use, kept per checkout, never committed. The test
 * suite starts several `npm run dev` at once on a fresh clone: the first file written wins (an atomic link), and
 * every other process reads that one, so no stage's local state is encrypted with a password the file lost.
 */
export function localSecrets(file = LOCAL_SECRETS_FILE): LocalSecrets {
  const found = readStored(file);
  const stored = { ...found };
  const missing = [...WORKER_SECRETS, STATE_PASSWORD].filter(
    (name) => typeof stored[name] !== "string" || !stored[name],
  );
  if (missing.length > 0) {
    for (const name of missing) stored[name] = fresh();
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    try {
      chmodSync(temporary, 0o600);
      // No file when read: create it only if still absent (a link never replaces), else take the one written first.
      if (found) renameSync(temporary, file);
      else linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      return localSecrets(file);
    } finally {
      rmSync(temporary, { force: true });
    }
  }
  const worker = Object.fromEntries(WORKER_SECRETS.map((name) => [name, stored[name] as string])) as WorkerSecrets;
  return { worker, statePassword: stored[STATE_PASSWORD] as string };
}

/**
 * A deployed stage's secrets, from the environment the deploy runs in. A missing one refuses the deploy,
 * naming the secret, the stage and where it is kept; there is no fallback value.
 */
export function deploySecrets(stage: string, env: Env): WorkerSecrets {
  const missing = WORKER_SECRETS.filter((name) => !env[name]);
  if (missing.length > 0) {
    const where =
      env.GITHUB_ACTIONS === "true"
        ? ` In GitHub Actions it comes from the ${RELEASE_ENVIRONMENTS.join("/")} environment's secret of that name, or ${PREVIEW_SECRET_PREFIX}${missing[0]} for previews.`
        : "";
    throw new MissingSecretError(
      `Stage "${stage}" needs the Worker secret ${missing.join(", ")}, and there is no default: set it in the deploy's environment (generate one with \`openssl rand -base64 32\`; docs/configuration.md, "Secrets").${where}`,
    );
  }
  if (!env.ALCHEMY_PASSWORD) {
    throw new MissingSecretError(
      `Stage "${stage}": deploying needs ALCHEMY_PASSWORD, which encrypts the Worker secrets in alchemy's state (docs/deploying.md).`,
    );
  }
  return Object.fromEntries(WORKER_SECRETS.map((name) => [name, env[name] as string])) as WorkerSecrets;
}
