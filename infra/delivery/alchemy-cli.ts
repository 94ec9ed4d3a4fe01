// Runs the project's own alchemy CLI (and through it alchemy.run.ts) from the repository root.
import { spawn } from "node:child_process";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

type Env = Readonly<Record<string, string | undefined>>;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * `alchemy <args>` with the project's node_modules/.bin first on PATH, so it and the alchemy.run.ts
 * it spawns run on the project's Node even when this script was started without npm.
 */
export function runAlchemy(args: string[], env: Env, capture: boolean): Promise<string> {
  const childEnv = {
    ...env,
    PATH: `${join(ROOT, "node_modules", ".bin")}${delimiter}${env.PATH ?? ""}`,
    ALCHEMY_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
  };
  return new Promise((resolve, reject) => {
    const child = spawn("alchemy", args, {
      cwd: ROOT,
      env: childEnv,
      stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
    });
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.on("error", reject);
    // A child killed by a signal has no exit code: that is a failure (the alchemy CLI itself reports it as 0).
    child.on("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else
        reject(new Error(`alchemy ${args.join(" ")} ${signal ? `was killed by ${signal}` : `exited with ${code}`}.`));
    });
  });
}

/** `alchemy state list --stage X`: every resource alchemy's state still records for the stage. */
export function alchemyStateList(stage: string, env: Env): Promise<string> {
  return runAlchemy(["state", "list", "--stage", stage], env, true);
}

export async function alchemyDestroy(stage: string, env: Env): Promise<void> {
  await runAlchemy(["destroy", "--stage", stage], env, false);
}
