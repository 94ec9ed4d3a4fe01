// A Cloudflare account of a scenario's own: for protected stages (fixed names like `prod`, which scenarios sharing
// the rehearsal's account would fight over) and for accounts set up differently (no workers.dev subdomain).
import { expect } from "vitest";
import { type CloudflareDouble, startCloudflareDouble } from "./cloudflare-double/index.ts";
import type { ProjectCopy } from "./project-copy.ts";
import type { Expected } from "./rehearsal-context.ts";
import { REHEARSAL_ACCOUNT_ID, REHEARSAL_API_TOKEN, rehearsalEnv } from "./rehearsal-env.ts";
import { type CommandRun, describeRun, runNpm } from "./run-npm.ts";

export interface OwnAccount {
  double: CloudflareDouble;
  /** `npm run <script> -- <args>` from a laptop against this account, with extra variables; no unknown call allowed. */
  npm(
    project: ProjectCopy,
    script: string,
    args: string[],
    expected?: Expected,
    env?: Record<string, string>,
  ): Promise<CommandRun>;
}

export async function withOwnAccount(
  options: { subdomain?: string | null; zones?: string[] },
  scenario: (account: OwnAccount) => Promise<void>,
): Promise<void> {
  const double = await startCloudflareDouble({
    accountId: REHEARSAL_ACCOUNT_ID,
    apiToken: REHEARSAL_API_TOKEN,
    ...options,
  });
  try {
    await scenario({
      double,
      async npm(project, script, args, expected = 0, env = {}) {
        const run = await runNpm(project.dir, script, args, { ...rehearsalEnv(double, project.dir), ...env });
        expect(double.unknownCalls(), `calls the Cloudflare double does not know:\n${describeRun(run)}`).toEqual([]);
        if (expected === "nonzero") expect(run.code, describeRun(run)).not.toBe(0);
        else if (expected !== "any") expect(run.code, describeRun(run)).toBe(expected);
        return run;
      },
    });
  } finally {
    await double.stop();
  }
}
