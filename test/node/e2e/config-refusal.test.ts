// An invalid Worker variable stops `npm run dev` and the Worker tests before anything serves, naming the variable,
// where its value came from and the stage (the deploy's refusal is rehearsed in rehearsal/scenarios/stage-config.ts).
import { spawn } from "node:child_process";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, processGroupMembers } from "../helpers/dev-server.ts";
import { copyProject, type ProjectCopy, REPO_ROOT } from "../rehearsal/project-copy.ts";
import { runCommand } from "../rehearsal/run-npm.ts";

const STAGE = "e2e-bad-config";
const REFUSAL = `Stage "${STAGE}" (dev) has an invalid Worker configuration`;
const NAMED = "SESSION_MAX_TASKS (infra/stage-config.ts kinds.dev): Too small";

/** `npm run dev` in the copy until it prints `until` (alchemy dev keeps watching for a fix), then stopped. */
async function devOutputUntil(dir: string, until: RegExp, timeoutMs = 240_000): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DEV_PORT: String(await freePort()),
    FORCE_COLOR: "0",
    NO_COLOR: "1",
  };
  for (const name of Object.keys(env)) if (name.startsWith("CLOUDFLARE_")) delete env[name];
  const child = spawn("npm", ["run", "dev", "--", "--stage", STAGE], { cwd: dir, env, detached: true });
  const pgid = child.pid as number;
  let output = "";
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${until} in ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (until.test(output)) {
          clearTimeout(timer);
          resolve(output);
        }
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve(output);
      });
    });
  } finally {
    if (processGroupMembers(pgid).length > 0) process.kill(-pgid, "SIGKILL");
  }
}

describe("an invalid value in infra/stage-config.ts (SESSION_MAX_TASKS=0 for local runs)", () => {
  let project: ProjectCopy;

  beforeAll(async () => {
    project = await copyProject();
    await project.edit("infra/stage-config.ts", (text) =>
      text.replace("dev: { vars: { ", "dev: { vars: { SESSION_MAX_TASKS: 0, "),
    );
    await cp(join(REPO_ROOT, "vitest.config.ts"), join(project.dir, "vitest.config.ts"));
    await cp(join(REPO_ROOT, "test", "workers"), join(project.dir, "test", "workers"), { recursive: true });
  });

  afterAll(async () => {
    await project?.remove();
  });

  it("stops npm run dev before it serves, naming the variable, its origin and the stage", async () => {
    const output = await devOutputUntil(project.dir, /Failed running|Ready at/);
    expect(output).toContain(REFUSAL);
    expect(output).toContain(NAMED);
    expect(output).not.toContain("Ready at");
  });

  it("stops the Worker tests before any runs", async () => {
    const run = await runCommand(
      "vitest",
      join(REPO_ROOT, "node_modules", ".bin", "vitest"),
      ["run", "--project", "workers"],
      {
        cwd: project.dir,
        env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
      },
    );
    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toContain('Stage "test" (dev) has an invalid Worker configuration');
    expect(run.output).toContain(NAMED);
    expect(run.output).not.toMatch(/Tests\s+\d+ passed/);
  });
});
