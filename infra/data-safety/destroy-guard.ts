// `npm run destroy` on a protected stage: refused unless the operator names the stage in ALLOW_DESTROY_PROTECTED.
import { isProtectedStage } from "../core/protected-stages.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** Set to the stage's own name to destroy a protected stage. No workflow ever sets it (test/node/delivery). */
export const ALLOW_DESTROY_VARIABLE = "ALLOW_DESTROY_PROTECTED";

export class ProtectedStageError extends Error {
  override name = "ProtectedStageError";
}

/**
 * Throws before alchemy starts (it exits 0 whatever happens in its destroy phase, so a refusal must come first).
 * The variable must name the stage itself: a value left in a shell for one stage never unlocks another.
 */
export function assertDestroyAllowed(stage: string, env: Env): void {
  if (!isProtectedStage(stage)) return;
  if (env[ALLOW_DESTROY_VARIABLE] === stage) return;
  throw new ProtectedStageError(
    [
      `Refusing to destroy the protected stage "${stage}".`,
      `Its Worker and Durable Objects (every session) would be deleted; its D1 database is kept (delete: false).`,
      `If that is really what you want, run it yourself: ${ALLOW_DESTROY_VARIABLE}=${stage} npm run destroy -- --stage ${stage}`,
      `(docs/data-safety.md, "Destroying a protected stage on purpose").`,
    ].join("\n"),
  );
}
