// Starts the real `npm run dev` (alchemy dev mode: workerd, local D1, SQLite Durable Objects) on a
// free port, in a throwaway copy of the project, and stops its whole process group afterwards, workerd included.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { copyProject } from "../rehearsal/project-copy.ts";

export interface DevServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/** Process ids still alive in a process group (empty once everything has exited). */
export function processGroupMembers(pgid: number): number[] {
  try {
    const out = execFileSync("ps", ["-o", "pid=,stat=", "-g", String(pgid)], { encoding: "utf8" });
    return out
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter(([pid, stat]) => pid && stat && !stat.startsWith("Z"))
      .map(([pid]) => Number(pid));
  } catch {
    return []; // ps exits 1 when the group is empty
  }
}

/** Local dev must work with no Cloudflare account: run it the way a new user would. */
function withoutCloudflareCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of Object.keys(copy)) if (name.startsWith("CLOUDFLARE_")) delete copy[name];
  return copy;
}

const READY = /Ready at (http:\/\/localhost:\d+)\/?/;

/**
 * How long `npm run dev` may take to print "Ready" before the test gives up: a safety net for a hung start, not a
 * performance bound (a start that fails exits and fails the test at once). Generous: the suite must pass on a
 * machine that is busy with other work (docs/testing.md).
 */
const READY_TIMEOUT_MS = 240_000;

/**
 * Each server runs in its own copy of the project, so its `.alchemy/` (state, local D1 and Durable Object data,
 * local secrets) starts empty and goes with the copy: no state left by an earlier, killed run (alchemy writes its
 * state files in place, so a kill can leave one truncated) and nothing shared with the checkout's own `npm run dev`.
 */
export async function startDevServer({ stage, timeoutMs = READY_TIMEOUT_MS }: { stage: string; timeoutMs?: number }) {
  const port = await freePort();
  const project = await copyProject();
  const child: ChildProcess = spawn("npm", ["run", "dev", "--", "--stage", stage], {
    cwd: project.dir,
    detached: true, // its own process group, so stop() reaches workerd too
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...withoutCloudflareCredentials(process.env), DEV_PORT: String(port), FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  let output = "";
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const pgid = child.pid as number;

  const stop = async () => {
    const deadline = Date.now() + 15_000;
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pgid, sig);
      } catch {
        // already gone
      }
    };
    signal("SIGTERM");
    while (processGroupMembers(pgid).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    signal("SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    await project.remove();
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev server not ready in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      const match = READY.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`dev server exited with ${code}:\n${output}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });

  return { url, pgid, output: () => output, stop } satisfies DevServer & { pgid: number };
}
