// The first deploy on an account that never opened Workers (no workers.dev subdomain, Cloudflare error 10063).
import { expect } from "vitest";
import { withOwnAccount } from "../own-account.ts";
import type { Rehearsal } from "../rehearsal-context.ts";
import { physicalNames, printedStageUrl } from "../stage-inspection.ts";
import { health, stageClient } from "../user-flow.ts";

export async function accountWithoutSubdomain(rehearsal: Rehearsal): Promise<void> {
  const project = await rehearsal.checkout();
  const stage = `rh-${rehearsal.runId}-new`;
  await withOwnAccount({ subdomain: null }, async ({ double, npm }) => {
    // Stops before creating anything, naming the dashboard step and the alternative.
    const stopped = await npm(project, "deploy", ["--stage", stage], "nonzero");
    expect(stopped.output).toContain("This Cloudflare account has no workers.dev subdomain yet");
    expect(stopped.output).toContain('open "Workers & Pages" once');
    expect(double.calls.filter((call) => call.method !== "GET")).toEqual([]);
    expect(double.account.databases.size + double.account.scripts.size).toBe(0);
    expect(await project.stateFiles(stage)).toEqual([]);

    // Told which subdomain to register, the deploy registers it and the stage serves at it.
    const deployed = await npm(project, "deploy", ["--stage", stage], 0, { WORKERS_DEV_SUBDOMAIN: "acme-rehearsal" });
    expect(double.account.subdomain).toBe("acme-rehearsal");
    const url = printedStageUrl(deployed.output, stage);
    expect(new URL(url).hostname).toBe(`${physicalNames(stage).worker}.acme-rehearsal.workers.dev`);
    expect(await health(stageClient(url, double.gatewayUrl))).toMatchObject({ ok: true, stage });
  });
}
