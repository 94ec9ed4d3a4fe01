// Dependency updates cover both ecosystems the project pins (npm packages, actions), grouped and scheduled.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Job, loadWorkflows, usesSecrets } from "./workflow-files.ts";

interface Update {
  "package-ecosystem": string;
  directory: string;
  schedule?: { interval?: string };
  groups?: Record<string, { patterns?: string[]; "exclude-patterns"?: string[] }>;
}

const config = parse(readFileSync(".github/dependabot.yml", "utf8")) as { version: number; updates: Update[] };
const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function update(ecosystem: string): Update {
  const found = config.updates.find((u) => u["package-ecosystem"] === ecosystem);
  if (!found) throw new Error(`no ${ecosystem} entry in .github/dependabot.yml`);
  return found;
}

describe("dependabot", () => {
  it("updates npm packages and pinned actions on a schedule, in groups", () => {
    expect(config.version).toBe(2);
    for (const ecosystem of ["npm", "github-actions"]) {
      const entry = update(ecosystem);
      expect(entry.directory).toBe("/");
      expect(entry.schedule?.interval).toMatch(/^(daily|weekly|monthly)$/);
      expect(Object.keys(entry.groups ?? {}).length).toBeGreaterThan(0);
    }
  });

  it("moves the packages tied to workerd's compatibility date together, in one group", () => {
    const groups = update("npm").groups ?? {};
    const runtime = Object.values(groups).filter((g) => g.patterns?.includes("alchemy"));
    expect(runtime).toHaveLength(1);
    for (const name of ["alchemy", "miniflare"]) {
      expect(packageJson.devDependencies).toHaveProperty(name);
      expect(runtime[0]?.patterns).toContain(name);
    }
    expect(runtime[0]?.patterns).toContain("@cloudflare/*");
  });
});

const DEPENDABOT_GUARD = "github.actor != 'dependabot[bot]'";

/** A job is skipped for Dependabot when it, or a job it needs (a skipped need skips it), carries the guard. */
function skippedForDependabot(jobs: Record<string, Job>, id: string, seen = new Set<string>()): boolean {
  const job = jobs[id];
  if (!job || seen.has(id)) return false;
  seen.add(id);
  if (job.if?.includes("always()")) return false;
  if (job.if?.includes(DEPENDABOT_GUARD)) return true;
  const needs = job.needs === undefined ? [] : [job.needs].flat();
  return needs.some((need) => skippedForDependabot(jobs, need, seen));
}

describe("Dependabot's branches", () => {
  // Runs Dependabot triggers get no Actions secrets: a job that needs them would fail red.
  const pushTriggered = loadWorkflows().filter((w) => ["push", "pull_request", "delete"].some((e) => e in w.on));

  it("skip every job that needs a secret, in every workflow their pushes and pull requests trigger", () => {
    const checked = pushTriggered.flatMap((w) =>
      Object.entries(w.jobs)
        .filter(([, job]) => usesSecrets(job))
        .map(([id]) => ({ job: `${w.file}:${id}`, skipped: skippedForDependabot(w.jobs, id) })),
    );
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.filter((c) => !c.skipped)).toEqual([]);
  });

  it("still run CI", () => {
    const ci = pushTriggered.find((w) => w.file === "ci.yml");
    expect(ci).toBeDefined();
    expect(JSON.stringify(ci?.jobs)).not.toContain("dependabot");
  });
});
