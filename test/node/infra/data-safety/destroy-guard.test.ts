// `npm run destroy` on a protected stage needs ALLOW_DESTROY_PROTECTED naming that very stage.
import { describe, expect, it } from "vitest";
import { isProtectedStage, PROTECTED_STAGES } from "../../../../infra/core/protected-stages.ts";
import { ALLOW_DESTROY_VARIABLE, assertDestroyAllowed } from "../../../../infra/data-safety/destroy-guard.ts";

describe("destroy guard", () => {
  it("protects prod and staging, nothing else", () => {
    expect([...PROTECTED_STAGES]).toEqual(["prod", "staging"]);
    expect(["prod", "staging"].every(isProtectedStage)).toBe(true);
    expect(["pr-7", "prod-1a2b3c", "alice", "Prod"].some(isProtectedStage)).toBe(false);
  });

  it.each(PROTECTED_STAGES)("refuses %s without the variable, or with it naming another stage", (stage) => {
    expect(() => assertDestroyAllowed(stage, {})).toThrow(`Refusing to destroy the protected stage "${stage}"`);
    const other = stage === "prod" ? "staging" : "prod";
    expect(() => assertDestroyAllowed(stage, { [ALLOW_DESTROY_VARIABLE]: other })).toThrow(/Refusing/);
    expect(() => assertDestroyAllowed(stage, { [ALLOW_DESTROY_VARIABLE]: "1" })).toThrow(/Refusing/);
    expect(() => assertDestroyAllowed(stage, { [ALLOW_DESTROY_VARIABLE]: stage })).not.toThrow();
  });

  it("lets any other stage be destroyed", () => {
    expect(() => assertDestroyAllowed("pr-7", {})).not.toThrow();
  });
});
