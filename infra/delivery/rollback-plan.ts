// Can an older release run against a stage's current data? The rule a rollback applies before it deploys (docs/releases.md).

/** A D1 migration file declares it with this line: code that does not know the file runs correctly once it is applied. */
export const D1_COMPATIBLE_MARKER = /^--\s*compatible-with-previous:\s*true\s*$/m;

export interface SessionStep {
  version: number;
  name: string;
  compatibleWithPrevious: boolean;
}

export interface RollbackInput {
  /** D1 migration files the stage's ledger records as applied, in order. */
  appliedD1: readonly string[];
  /** The target release's D1 migration file names. */
  targetD1: readonly string[];
  /** The SQL of every D1 migration file the newest release has (the workflow's own checkout), by name. */
  newestD1Sql: ReadonlyMap<string, string>;
  /** The target release's SessionDO schema steps. */
  targetSteps: readonly SessionStep[];
  /** The newest release's steps: objects may be on any of them (they migrate lazily, on their next wake). */
  newestSteps: readonly SessionStep[];
  /** What the person dispatching the rollback accepted, as the refusal names it (`d1:0006_x.sql`, `session-step:5`). */
  accepted: readonly string[];
}

export interface Blocker {
  /** The name to accept it by. */
  id: string;
  reason: string;
}

export interface RollbackPlan {
  ok: boolean;
  /** Applied D1 migrations the target does not know: they stay applied (nothing is ever undone). */
  stayApplied: string[];
  /** Object steps the target does not know: objects on them stay there. */
  newerSteps: SessionStep[];
  blockers: Blocker[];
  /** Accepted names that block nothing: a typo or a stale value, refused so nobody accepts blindly. */
  unneeded: string[];
  message: string;
}

function d1Blockers(input: RollbackInput, stayApplied: string[]): Blocker[] {
  return stayApplied.flatMap((name) => {
    const sql = input.newestD1Sql.get(name);
    if (sql === undefined) {
      return [{ id: `d1:${name}`, reason: `D1 migration ${name} is applied on the stage but in no release here` }];
    }
    if (D1_COMPATIBLE_MARKER.test(sql)) return [];
    return [
      {
        id: `d1:${name}`,
        reason: `D1 migration ${name} is applied, the target does not know it, and it does not declare "-- compatible-with-previous: true"`,
      },
    ];
  });
}

/** As SessionDO decides (src/sessions/object/migrations.ts, minReaderVersion): any newer step not compatible locks older code out. */
function stepBlockers(newerSteps: SessionStep[]): Blocker[] {
  return newerSteps
    .filter((step) => !step.compatibleWithPrevious)
    .map((step) => ({
      id: `session-step:${step.version}`,
      reason: `SessionDO schema step ${step.version} (${step.name}) is not compatibleWithPrevious: every session already on it would answer 503 session_schema_too_new under the target`,
    }));
}

export function planRollback(input: RollbackInput): RollbackPlan {
  const known = new Set(input.targetD1);
  const stayApplied = input.appliedD1.filter((name) => !known.has(name));
  const targetNewest = Math.max(0, ...input.targetSteps.map((step) => step.version));
  const newerSteps = input.newestSteps.filter((step) => step.version > targetNewest);
  const found = [...d1Blockers(input, stayApplied), ...stepBlockers(newerSteps)];
  const accepted = new Set(input.accepted);
  const blockers = found.filter((blocker) => !accepted.has(blocker.id));
  const unneeded = input.accepted.filter((id) => !found.some((blocker) => blocker.id === id));
  const ok = blockers.length === 0 && unneeded.length === 0;

  const lines = [
    stayApplied.length
      ? `D1 migrations that stay applied (a rollback never undoes one): ${stayApplied.join(", ")}.`
      : "No applied D1 migration is newer than the target.",
    newerSteps.length
      ? `SessionDO steps newer than the target (objects already on them keep them): ${newerSteps.map((s) => `${s.version} ${s.name}`).join(", ")}.`
      : "No SessionDO schema step is newer than the target.",
  ];
  const acceptedHere = found.filter((blocker) => accepted.has(blocker.id));
  if (acceptedHere.length) lines.push(`Accepted by the dispatch: ${acceptedHere.map((b) => b.id).join(", ")}.`);
  if (blockers.length) {
    lines.push(
      "REFUSED: the target release cannot run against this stage's data:",
      ...blockers.map((blocker) => `  - ${blocker.reason} [${blocker.id}]`),
      "Prefer rolling forward (a fix on top of the current release). To roll back anyway, knowing what breaks, dispatch",
      `again with accept = ${found.map((blocker) => blocker.id).join(",")} (docs/releases.md, "When the rollback refuses").`,
    );
  }
  if (unneeded.length) {
    lines.push(`REFUSED: accept names what this rollback does not need: ${unneeded.join(", ")}. Remove them.`);
  }
  return { ok, stayApplied, newerSteps, blockers, unneeded, message: lines.join("\n") };
}

/** The `accept` input: names separated by commas or spaces. */
export function parseAccepted(value: string | undefined): string[] {
  return (value ?? "").split(/[\s,]+/).filter(Boolean);
}
