// Runs an npm script of the project copy the way a user or a workflow step does, then reaps its whole process group.
import { spawn } from "node:child_process";
import { processGroupMembers } from "../helpers/dev-server.ts";

export interface NpmRun {
  command: string;
  code: number | null;
  output: string;
  ms: number;
}

export async function runNpm(
  cwd: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 45_000,
): Promise<NpmRun> {
  const command = `npm run ${script}${args.length ? ` -- ${args.join(" ")}` : ""}`;
  const started = performance.now();
  const child = spawn("npm", ["run", script, ...(args.length ? ["--", ...args] : [])], {
    cwd,
    env,
    detached: true, // its own process group: alchemy, the node it spawns and esbuild go with it
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pgid = child.pid as number;
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pgid, signal);
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    output += `\n[rehearsal] ${command} timed out after ${timeoutMs} ms\n`;
    killGroup("SIGKILL");
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  clearTimeout(timer);
  if (processGroupMembers(pgid).length > 0) killGroup("SIGKILL");
  return { command, code, output, ms: Math.round(performance.now() - started) };
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** A failure message that shows what the command printed, so a red rehearsal explains itself. */
export function describeRun(run: NpmRun): string {
  return `${run.command} exited ${run.code} after ${run.ms} ms:\n${run.output.replace(ANSI, "").trim()}`;
}
