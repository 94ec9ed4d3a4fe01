// Protected stages: long-lived stages holding data someone needs. Their data is kept and guarded; defined only here.
export const PROTECTED_STAGES = ["prod", "staging"] as const;

export type ProtectedStage = (typeof PROTECTED_STAGES)[number];

/** True for a stage whose D1 database is kept on destroy and whose destructive changes need an acknowledgement. */
export function isProtectedStage(stage: string): stage is ProtectedStage {
  return (PROTECTED_STAGES as readonly string[]).includes(stage);
}
