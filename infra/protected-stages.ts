// Stages that hold real users' data: kept on destroy, guarded on deploy, migrated with a restore point. Defined once here.

/** `prod` serves users; `staging` is deployed from the default branch just before it, on data of its own that it keeps. */
export const PROTECTED_STAGES: readonly string[] = ["prod", "staging"];

export function isProtectedStage(stage: string): boolean {
  return PROTECTED_STAGES.includes(stage);
}
