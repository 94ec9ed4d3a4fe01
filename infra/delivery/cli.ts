// Entry point of the delivery CLI the workflows call through npm scripts (commands in infra/delivery/commands.ts).
import { execFile } from "node:child_process";
import { alchemyDestroy, alchemyStateList } from "./alchemy-cli.ts";
import { runCli } from "./commands.ts";
import type { GhResult } from "./setup-github.ts";

/** The GitHub CLI in this directory; undefined when it is not installed. */
function gh(args: string[]): Promise<GhResult | undefined> {
  return new Promise((resolve) => {
    execFile("gh", args, { env: { ...process.env, GH_PROMPT_DISABLED: "1" } }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === "ENOENT") resolve(undefined);
      else resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  fetch,
  out: (line) => console.log(line),
  log: (line) => console.error(line),
  stateList: (stage, branch) =>
    alchemyStateList(stage, branch ? { ...process.env, STAGE_BRANCH: branch } : process.env),
  destroy: (stage, branch) => alchemyDestroy(stage, branch ? { ...process.env, STAGE_BRANCH: branch } : process.env),
  gh,
});
