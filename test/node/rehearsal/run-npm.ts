// Runs a command of the project copy the way a user or a workflow step does, then reaps its whole process group.
import { spawn } from "node:child_process";
import { processGroupMembers } from "../helpers/dev-server.ts";

export interface CommandRun {
  command: string;
  code: number | null;
  output: string;
  ms: number;
}

export async function runCommand(
  label: string,
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandRun> {
  // A net for a hung command, not a speed check: on a loaded machine one deploy can take minutes.
  const { cwd, env, timeoutMs = 300_000 } = options;
  const started = performance.now();
  const child = spawn(file, args, {
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
    output += `\n[rehearsal] ${label} timed out after ${timeoutMs} ms\n`;
    killGroup("SIGKILL");
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.once("error", (error) => {
      output += String(error);
      resolve(null);
    });
    child.once("close", resolve);
  });
  clearTimeout(timer);
  if (processGroupMembers(pgid).length > 0) killGroup("SIGKILL");
  return { command: label, code, output, ms: Math.round(performance.now() - started) };
}

export function runNpm(cwd: string, script: string, args: string[], env: NodeJS.ProcessEnv): Promise<CommandRun> {
  const npmArgs = ["run", script, ...(args.length ? ["--", ...args] : [])];
  return runCommand(`npm ${npmArgs.join(" ")}`, "npm", npmArgs, { cwd, env });
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** A failure message that shows what the command printed, so a red rehearsal explains itself. */
export function describeRun(run: CommandRun): string {
  return `${run.command} exited ${run.code} after ${run.ms} ms:\n${run.output.replace(ANSI, "").trim()}`;
}
