import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { APP_NAME, MIGRATIONS_DIR } from "../../../infra/core/runtime.ts";
import { runCli } from "../../../infra/delivery/commands.ts";
import { planRollback, type RollbackInput, type SessionStep } from "../../../infra/delivery/rollback-plan.ts";
import { MIGRATIONS } from "../../../src/sessions/object/migrations.ts";
import { ACCOUNT, cf, deployEnv, fakeApi } from "./fake-api.ts";

const step = (version: number, compatibleWithPrevious: boolean): SessionStep => ({
  version,
  name: `step_${version}`,
  compatibleWithPrevious,
});

function plan(overrides: Partial<RollbackInput>) {
  return planRollback({
    appliedD1: ["0001_a.sql", "0002_b.sql"],
    targetD1: ["0001_a.sql", "0002_b.sql"],
    newestD1Sql: new Map([
      ["0001_a.sql", "CREATE TABLE a (x);"],
      ["0002_b.sql", "CREATE TABLE b (x);"],
      ["0003_c.sql", "-- compatible-with-previous: true\nALTER TABLE a ADD COLUMN y;"],
      ["0004_d.sql", "ALTER TABLE a DROP COLUMN x;"],
    ]),
    targetSteps: [step(1, false), step(2, true)],
    newestSteps: [step(1, false), step(2, true)],
    accepted: [],
    ...overrides,
  });
}

describe("the rollback rule", () => {
  it("lets a release run on data it knows", () => {
    expect(plan({})).toMatchObject({ ok: true, stayApplied: [], newerSteps: [], blockers: [] });
  });

  it("lets newer D1 migrations and object steps stay when each declares older code may run on it", () => {
    const result = plan({
      appliedD1: ["0001_a.sql", "0002_b.sql", "0003_c.sql"],
      newestSteps: [step(1, false), step(2, true), step(3, true), step(4, true)],
    });
    expect(result, result.message).toMatchObject({ ok: true, stayApplied: ["0003_c.sql"] });
    expect(result.newerSteps.map((s) => s.version)).toEqual([3, 4]);
    expect(result.message).toContain("stay applied");
  });

  it("refuses a D1 migration without the marker and an object step not compatibleWithPrevious, naming each", () => {
    const result = plan({
      appliedD1: ["0001_a.sql", "0002_b.sql", "0003_c.sql", "0004_d.sql"],
      newestSteps: [step(1, false), step(2, true), step(3, false), step(4, true)],
    });
    expect(result.ok).toBe(false);
    expect(result.blockers.map((b) => b.id)).toEqual(["d1:0004_d.sql", "session-step:3"]);
    expect(result.message).toContain("REFUSED");
    expect(result.message).toContain("session_schema_too_new");
    expect(result.message).toContain("accept = d1:0004_d.sql,session-step:3");
  });

  it("refuses an applied migration that no release here knows", () => {
    const result = plan({ appliedD1: ["0001_a.sql", "0002_b.sql", "0009_lost.sql"] });
    expect(result.blockers.map((b) => b.id)).toEqual(["d1:0009_lost.sql"]);
  });

  it("goes ahead when every blocker is accepted, and refuses an accept that names anything else", () => {
    const refused = {
      appliedD1: ["0001_a.sql", "0002_b.sql", "0004_d.sql"],
      newestSteps: [step(1, false), step(2, true), step(3, false)],
    };
    expect(plan({ ...refused, accepted: ["d1:0004_d.sql"] }).ok).toBe(false);
    const accepted = plan({ ...refused, accepted: ["d1:0004_d.sql", "session-step:3"] });
    expect(accepted, accepted.message).toMatchObject({ ok: true });
    expect(accepted.message).toContain("Accepted by the dispatch: d1:0004_d.sql, session-step:3");
    const stale = plan({ ...refused, accepted: ["d1:0004_d.sql", "session-step:3", "session-step:9"] });
    expect(stale).toMatchObject({ ok: false, unneeded: ["session-step:9"] });
  });
});

describe("rollback-check", () => {
  const SHA = "a".repeat(40);
  /** The stage has applied every migration of this checkout. */
  const applied = readdirSync(MIGRATIONS_DIR)
    .filter((name) => name.endsWith(".sql"))
    .sort();

  /** A checkout of an older release: the first `files` migrations and `steps` session steps of this one. */
  function olderRelease(files: number, steps: number, stepsFile = "src/sessions/object/migrations.ts"): string {
    const dir = mkdtempSync(join(tmpdir(), "rollback-target-"));
    mkdirSync(join(dir, MIGRATIONS_DIR), { recursive: true });
    for (const name of applied.slice(0, files)) {
      writeFileSync(join(dir, MIGRATIONS_DIR, name), readFileSync(join(MIGRATIONS_DIR, name), "utf8"));
    }
    const list = JSON.stringify(MIGRATIONS.slice(0, steps));
    mkdirSync(join(dir, dirname(stepsFile)), { recursive: true });
    writeFileSync(join(dir, stepsFile), `export const MIGRATIONS = ${list};\n`);
    return dir;
  }

  function api(deployed: { environment: string; state: string }[]) {
    return fakeApi({
      "GET /api/v3/repos/acme/api/commits/v1.2.0": () => ({ sha: SHA }),
      "GET /api/v3/repos/acme/api/deployments": (call) =>
        deployed
          .map((d, i) => ({ id: i + 1, ...d }))
          .filter(
            (d) =>
              d.environment === call.url.searchParams.get("environment") && call.url.searchParams.get("sha") === SHA,
          ),
      ...Object.fromEntries(
        deployed.map((d, i) => [
          `GET /api/v3/repos/acme/api/deployments/${i + 1}/statuses`,
          () => [{ state: d.state }],
        ]),
      ),
      [`GET /client/v4/accounts/${ACCOUNT}/d1/database`]: () => cf([{ name: `${APP_NAME}-db-prod`, uuid: "db-1" }]),
      [`POST /client/v4/accounts/${ACCOUNT}/d1/database/db-1/query`]: () =>
        cf([{ results: applied.map((name, id) => ({ id, name })) }]),
    });
  }

  async function check(target: string, deployed: { environment: string; state: string }[], accept?: string) {
    const lines: string[] = [];
    const out: string[] = [];
    const { fetch, calls } = api(deployed);
    const original = console.error;
    console.error = (line: string) => lines.push(line);
    try {
      const code = await runCli(["rollback-check", "--stage", "prod", "--ref", "v1.2.0", "--target", target], {
        env: { ...deployEnv, ...(accept ? { ROLLBACK_ACCEPT: accept } : {}) },
        fetch,
        out: (line) => out.push(line),
        log: (line) => lines.push(line),
        stateList: async () => "",
        destroy: async () => {},
      });
      return { code, log: lines.join("\n"), out, calls };
    } finally {
      console.error = original;
    }
  }

  it("accepts a release that was deployed to production and knows the stage's data, and prints its commit", async () => {
    const result = await check(olderRelease(applied.length, MIGRATIONS.length), [
      { environment: "production", state: "success" },
    ]);
    expect(result.code, result.log).toBe(0);
    expect(result.out).toEqual([SHA]);
  });

  it("reads the schema steps of a release from before the session object's files moved", async () => {
    const target = olderRelease(applied.length, MIGRATIONS.length, "src/session/migrations.ts");
    const result = await check(target, [{ environment: "production", state: "success" }]);
    expect(result.code, result.log).toBe(0);
    const lost = await check(olderRelease(applied.length, 0, "lib/migrations.ts"), [
      { environment: "production", state: "success" },
    ]);
    expect(lost.code).toBe(1);
    expect(lost.log).toContain("is it a release of this project?");
  });

  it("refuses a commit never deployed successfully to the stage's environment, before reading any data", async () => {
    for (const deployed of [
      [],
      [{ environment: "production", state: "failure" }],
      [{ environment: "staging", state: "success" }],
    ]) {
      const result = await check(olderRelease(applied.length, MIGRATIONS.length), deployed);
      expect(result.code).toBe(1);
      expect(result.log).toContain("was never deployed successfully to the production environment");
      expect(result.calls.some((call) => call.url.pathname.endsWith("/query"))).toBe(false);
    }
  });

  it("refuses this project's own history where it cannot be rolled back, until the blockers are accepted", async () => {
    // Before step 2 (index_sync, not compatibleWithPrevious) and before 0004 (no compatibility marker).
    const target = olderRelease(3, 1);
    const deployed = [{ environment: "production", state: "success" }];
    const refused = await check(target, deployed);
    expect(refused.code).toBe(1);
    expect(refused.log).toContain("[d1:0004_credential_lineage_and_agents.sql]");
    expect(refused.log).toContain("[session-step:2]");
    expect(refused.log).toContain("nothing was changed");
    // The exact value the refusal prints, pasted back: every blocker accepted, nothing else.
    const accept = /accept = (\S+)/.exec(refused.log)?.[1];
    const accepted = await check(target, deployed, accept);
    expect(accepted.code, accepted.log).toBe(0);
    expect(accepted.log).toContain("Accepted by the dispatch: d1:0004_credential_lineage_and_agents.sql");
  });

  it("is for protected stages only, and needs all its arguments", async () => {
    const env = deployEnv;
    const deps = { env, fetch, out: () => {}, log: () => {}, stateList: async () => "", destroy: async () => {} };
    expect(await runCli(["rollback-check", "--stage", "pr-7", "--ref", "x", "--target", "."], deps)).toBe(2);
    expect(await runCli(["rollback-check", "--stage", "prod", "--ref", "x"], deps)).toBe(2);
  });
});
