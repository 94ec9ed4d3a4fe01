// A safety check's refusal ends the program with its message and exit status 1, without a stack trace.
import { ConfigError } from "../src/config/variables.ts";
import { ProtectedStageError } from "./data-safety/destroy-guard.ts";
import { DestructiveChangeError } from "./data-safety/guard.ts";
import { StageOwnershipError } from "./stage-ownership.ts";
import { StageConfigError } from "./stage-settings.ts";
import { reportError } from "./vendors/github-outputs.ts";
import { MissingSecretError } from "./worker-secrets.ts";
import { MissingSubdomainError } from "./workers-subdomain.ts";

const REFUSALS = [
  ProtectedStageError,
  DestructiveChangeError,
  MissingSubdomainError,
  StageOwnershipError,
  // The stage's Worker configuration (infra/worker-config.ts): an invalid value or a missing secret.
  ConfigError,
  StageConfigError,
  MissingSecretError,
];

function stop(error: unknown): never {
  if (!REFUSALS.some((type) => error instanceof type)) throw error;
  reportError(process.env, (error as Error).message);
  process.exit(1);
}

/** Runs a check; a refusal exits 1 with its message (other errors propagate as they are). */
export function refuseCleanly<T>(check: () => T): T {
  try {
    const result = check();
    return (result instanceof Promise ? result.catch(stop) : result) as T;
  } catch (error) {
    stop(error);
  }
}
