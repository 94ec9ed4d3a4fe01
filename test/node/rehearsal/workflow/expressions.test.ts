// The expression subset the rehearsal evaluates, with GitHub's semantics, and what it refuses.
import { describe, expect, it } from "vitest";
import { condition, evaluate, interpolate } from "./expressions.ts";

const context = {
  github: { event_name: "delete", sha: "abc", event: { ref: "feat/x", pull_request: undefined } },
  needs: { stage: { outputs: { environment: "preview-feat-x" } } },
  inputs: {},
};

describe("workflow expressions", () => {
  it("follows GitHub's && / || value semantics", () => {
    expect(evaluate("github.event_name == 'delete' && github.event.ref || 'other'", context)).toBe("feat/x");
    expect(evaluate("github.event.pull_request.head.sha || github.sha", context)).toBe("abc");
  });

  it("compares strings case-insensitively and treats a missing input as empty", () => {
    expect(condition("needs.stage.outputs.environment != 'PRODUCTION'", context)).toBe(true);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JavaScript template
    expect(interpolate("stage=${{ inputs.stage }}.", context)).toBe("stage=.");
  });

  it("evaluates multi-line conditions with parentheses and negation", () => {
    const source = "(github.event_name != 'pull_request' || false)\n&& !(github.event_name == 'push')";
    expect(condition(source, context)).toBe(true);
  });

  it("refuses what it does not model instead of guessing", () => {
    expect(() => evaluate("success()", context)).toThrow(/Functions are not supported/);
    expect(() => evaluate("contains(github.ref, 'x')", context)).toThrow();
    expect(() => evaluate("github.event['ref']", context)).toThrow(/Unsupported expression syntax/);
  });
});
