// `npm run setup` end to end: the CLI against the Cloudflare API double and a fake `gh` on PATH, one missing
// prerequisite at a time, and never a secret value in what it prints.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { stageResourceNames } from "../../../infra/core/names.ts";
import type { ScriptRecord } from "../rehearsal/cloudflare-double/account.ts";
import { type CloudflareDouble, startCloudflareDouble } from "../rehearsal/cloudflare-double/index.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
/** The project's own Node (the `node` devDependency), so PATH can hold nothing but the fake gh. */
const NODE = join(ROOT, "node_modules", ".bin", "node");
const ACCOUNT_ID = randomBytes(16).toString("hex");
const secrets = {
  CLOUDFLARE_API_TOKEN: `tok-${randomBytes(12).toString("hex")}`,
  CLOUDFLARE_ACCOUNT_ID: ACCOUNT_ID,
  ALCHEMY_PASSWORD: `pw-${randomBytes(12).toString("hex")}`,
  ALCHEMY_STATE_TOKEN: `st-${randomBytes(12).toString("hex")}`,
  PASSWORD_PEPPER: randomBytes(32).toString("base64"),
};
const DEPLOY_SECRET_NAMES = Object.keys(secrets);

const work = mkdtempSync(join(tmpdir(), "setup-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface GhFixture {
  repoSecrets?: string[];
  environments?: { name: string; deployment_branch_policy: unknown }[];
  envSecrets?: Record<string, string[]>;
  failWith?: string;
}

const GREEN_GH: GhFixture = {
  repoSecrets: DEPLOY_SECRET_NAMES.map((name) => `PREVIEW_${name}`),
  environments: [
    { name: "production", deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } },
    { name: "staging", deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } },
    { name: "preview-feature-x", deployment_branch_policy: null },
  ],
  envSecrets: { production: DEPLOY_SECRET_NAMES, staging: DEPLOY_SECRET_NAMES },
};

/** A directory for PATH holding a `gh` that answers from the fixture, or nothing at all (gh not installed). */
function ghDirectory(fixture: GhFixture | undefined): string {
  const dir = mkdtempSync(join(work, "bin-"));
  if (fixture) {
    const fixtureFile = join(dir, "fixture.json");
    writeFileSync(fixtureFile, JSON.stringify(fixture));
    const script = `#!/bin/sh\nFAKE_GH_FIXTURE='${fixtureFile}' exec '${NODE}' '${join(import.meta.dirname, "fake-gh.mjs")}' "$@"\n`;
    writeFileSync(join(dir, "gh"), script);
    chmodSync(join(dir, "gh"), 0o755);
  }
  return dir;
}

let double: CloudflareDouble | undefined;
afterEach(async () => {
  await double?.stop();
  double = undefined;
});

async function startAccount(options: Parameters<typeof startCloudflareDouble>[0] extends infer O ? Partial<O> : never) {
  double = await startCloudflareDouble({ accountId: ACCOUNT_ID, apiToken: secrets.CLOUDFLARE_API_TOKEN, ...options });
  return double;
}

function addDatabases(account: CloudflareDouble["account"], names: string[]): void {
  for (const name of names)
    account.databases.set(`uuid-${name}`, { uuid: `uuid-${name}`, name, createdAt: "2026-01-01" });
}

function addWorkers(account: CloudflareDouble["account"], names: string[]): void {
  for (const name of names) {
    const script: ScriptRecord = {
      name,
      mainModule: "index.js",
      modules: [],
      compatibilityDate: "2026-07-08",
      compatibilityFlags: [],
      bindings: [],
      opaqueBindings: [],
      tags: [],
      classes: {},
      settings: {},
      subdomain: { enabled: true, previews_enabled: false },
      createdOn: "2026-01-01T00:00:00Z",
      modifiedOn: "2026-01-01T00:00:00Z",
      etag: name,
    };
    account.scripts.set(name, script);
  }
}

interface Run {
  code: number;
  output: string;
  line: (title: string) => string;
}

function runSetup(input: { env?: Record<string, string | undefined>; gh?: GhFixture; args?: string[] }): Promise<Run> {
  const env: Record<string, string> = { PATH: ghDirectory(input.gh), HOME: work, NO_COLOR: "1" };
  if (double) env.CLOUDFLARE_BASE_URL = double.baseUrl;
  for (const [name, value] of Object.entries({ ...secrets, ...input.env })) if (value !== undefined) env[name] = value;
  return new Promise((done) => {
    execFile(
      NODE,
      ["infra/delivery/cli.ts", "setup", ...(input.args ?? [])],
      { cwd: ROOT, env },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        const line = (title: string) =>
          output.split("\n").find((candidate) => candidate.slice(2).startsWith(title)) ?? "";
        done({ code: error ? Number(error.code ?? 1) : 0, output, line });
      },
    );
  });
}

function expectNoSecretValue(run: Run, extra: string[] = []): void {
  const values = [
    secrets.CLOUDFLARE_API_TOKEN,
    secrets.ALCHEMY_PASSWORD,
    secrets.ALCHEMY_STATE_TOKEN,
    secrets.PASSWORD_PEPPER,
  ];
  for (const value of [...values, ...extra]) {
    expect(run.output).not.toContain(value);
  }
}

describe("npm run setup", () => {
  it("is all green for a ready fork, exits 0, and prints names but never a value", async () => {
    const { account } = await startAccount({});
    addWorkers(account, ["other-project"]);
    addDatabases(account, ["other-project-db"]);
    const run = await runSetup({ gh: GREEN_GH });
    expect(run.output).not.toMatch(/^[✗!] /m);
    expect(run.line("Deploy variables")).toMatch(/^✓ .*ALCHEMY_STATE_TOKEN/);
    expect(run.line("Cloudflare token")).toBe("✓ Cloudflare token: active user token");
    expect(run.line("Workers Scripts permission")).toMatch(/^✓ .*lists the account's 1 Workers; Edit cannot be proven/);
    expect(run.line("D1 permission")).toMatch(/^✓ .*1 D1 databases/);
    expect(run.line("workers.dev subdomain")).toBe("✓ workers.dev subdomain: rehearsal.workers.dev");
    // 10 D1 on Free: 1 used, prod and staging set aside → 7 previews.
    expect(run.line("Room for previews")).toMatch(
      /^✓ Room for previews: 7 more preview stages fit: 1\/100 Workers, 1\/10 D1/,
    );
    expect(run.line("GitHub secrets")).toMatch(/^✓ GitHub secrets: production and staging hold CLOUDFLARE_API_TOKEN/);
    expect(run.line("GitHub environments")).toMatch(/^✓ /);
    expect(run.code).toBe(0);
    expectNoSecretValue(run);
  });

  it("fails on a token Cloudflare refuses, and skips the account checks instead of repeating the refusal", async () => {
    await startAccount({});
    const wrongToken = `wrong-${randomBytes(12).toString("hex")}`;
    const run = await runSetup({ env: { CLOUDFLARE_API_TOKEN: wrongToken }, gh: GREEN_GH });
    expect(run.line("Cloudflare token")).toMatch(
      /^✗ Cloudflare token: refused by the token-verify endpoint: Cloudflare answered 403/,
    );
    expect(run.output).toMatch(/fix: create a token as docs\/deploying\.md says/);
    expect(run.line("Cloudflare account")).toMatch(/^! .*not checked/);
    expect(run.code).toBe(1);
    expectNoSecretValue(run, [wrongToken]);
  });

  it("tells an unreachable API apart from a refused token", async () => {
    const gone = await startAccount({});
    await gone.stop();
    double = undefined;
    const run = await runSetup({ env: { CLOUDFLARE_BASE_URL: gone.baseUrl }, gh: GREEN_GH });
    expect(run.line("Cloudflare token")).toMatch(/^✗ Cloudflare token: not checked: Cloudflare API at .* unreachable/);
    expect(run.output).toContain("fix: check the network");
    expect(run.code).toBe(1);
  });

  it("fails on an expired token and accepts an active account-owned one", async () => {
    await startAccount({ token: { status: "expired" } });
    const expired = await runSetup({ gh: GREEN_GH });
    expect(expired.line("Cloudflare token")).toBe("✗ Cloudflare token: the user token is expired, not active");
    expect(expired.code).toBe(1);
    await double?.stop();

    await startAccount({ token: { owner: "account" } });
    const accountToken = await runSetup({ gh: GREEN_GH });
    expect(accountToken.line("Cloudflare token")).toBe("✓ Cloudflare token: active account token");
    expect(accountToken.code).toBe(0);
  });

  it("fails when the token cannot reach the account in CLOUDFLARE_ACCOUNT_ID", async () => {
    await startAccount({});
    const run = await runSetup({ env: { CLOUDFLARE_ACCOUNT_ID: randomBytes(16).toString("hex") }, gh: GREEN_GH });
    expect(run.line("Cloudflare token")).toMatch(/^✓ /);
    expect(run.line("Workers Scripts permission")).toMatch(
      /^✗ .*cannot list the account's Workers: Cloudflare answered 403/,
    );
    expect(run.line("D1 permission")).toMatch(/^✗ /);
    expect(run.output).toContain("on the account in CLOUDFLARE_ACCOUNT_ID (and check that id)");
    expect(run.code).toBe(1);
  });

  it("fails when the token lacks the D1 permission, and says the quota could not be counted", async () => {
    const { injectFault } = await startAccount({});
    injectFault({ method: "GET", path: /\/d1\/database$/, status: 403, code: 10000, message: "Authentication error" });
    const run = await runSetup({ gh: GREEN_GH });
    expect(run.line("D1 permission")).toMatch(
      /^✗ D1 permission: cannot list the account's D1 databases: Cloudflare answered 403 \(code 10000\)/,
    );
    expect(run.output).toContain("fix: give the token Account · D1 · Edit");
    expect(run.line("Workers Scripts permission")).toMatch(/^✓ /);
    expect(run.line("Room for previews")).toMatch(/^! .*not counted/);
    expect(run.code).toBe(1);
  });

  it("fails on an account without a workers.dev subdomain, naming the dashboard step and WORKERS_DEV_SUBDOMAIN", async () => {
    await startAccount({ subdomain: null });
    const run = await runSetup({ gh: GREEN_GH });
    expect(run.line("workers.dev subdomain")).toMatch(
      /^✗ workers.dev subdomain: this account has none \(Cloudflare error 10063\)/,
    );
    expect(run.output).toMatch(
      /fix: in the Cloudflare dashboard open "Workers & Pages" once .* WORKERS_DEV_SUBDOMAIN=<name>/,
    );
    expect(run.code).toBe(1);

    const withVariable = await runSetup({ env: { WORKERS_DEV_SUBDOMAIN: "my-team" }, gh: GREEN_GH });
    expect(withVariable.line("workers.dev subdomain")).toMatch(/^! .*the next deploy registers my-team.workers.dev/);
    expect(withVariable.code).toBe(0);
  });

  it("fails when the D1 quota leaves no room for a preview, warns when few fit, and counts Paid limits on request", async () => {
    const { account } = await startAccount({});
    addDatabases(account, ["a1", "a2", "a3", "a4", "a5", "a6", "a7"]);
    const few = await runSetup({ gh: GREEN_GH });
    expect(few.line("Room for previews")).toMatch(
      /^! Room for previews: only 1 more preview stage\(s\) fit, fewer than 3: .*7\/10 D1 databases .*room for prod and staging/,
    );
    expect(few.code).toBe(0);

    addDatabases(account, ["a8"]);
    const none = await runSetup({ gh: GREEN_GH });
    expect(none.line("Room for previews")).toMatch(/^✗ Room for previews: no preview stage fits: .*8\/10 D1 databases/);
    expect(none.output).toContain("-- --plan paid");
    expect(none.code).toBe(1);

    const paid = await runSetup({ gh: GREEN_GH, args: ["--plan", "paid"] });
    expect(paid.line("Room for previews")).toMatch(/^✓ .*8\/50000 D1 databases \(Paid plan limits\)/);
    expect(paid.code).toBe(0);
  });

  it("fails when the Worker quota is used up, counting prod's existing Worker and the state store", async () => {
    const { account } = await startAccount({});
    addWorkers(account, [
      "alchemy-state-service",
      stageResourceNames("prod").worker,
      stageResourceNames("staging").worker,
      ...Array.from({ length: 97 }, (_, i) => `filler-${i}`),
    ]);
    const run = await runSetup({ gh: GREEN_GH });
    expect(run.line("Room for previews")).toMatch(/^✗ .*100\/100 Workers/);
    expect(run.code).toBe(1);
  });

  it("fails naming each missing deploy variable, by name only, and still checks Cloudflare", async () => {
    await startAccount({});
    const run = await runSetup({ env: { ALCHEMY_PASSWORD: undefined, ALCHEMY_STATE_TOKEN: undefined }, gh: GREEN_GH });
    expect(run.line("Deploy variables")).toBe("✗ Deploy variables: missing ALCHEMY_PASSWORD, ALCHEMY_STATE_TOKEN");
    expect(run.line("Cloudflare token")).toMatch(/^✓ /);
    expect(run.code).toBe(1);
    expectNoSecretValue(run);
  });

  it("skips the Cloudflare checks without the Cloudflare pair, and refuses the local-dev placeholders", async () => {
    const missing = await runSetup({ env: { CLOUDFLARE_API_TOKEN: undefined }, gh: GREEN_GH });
    expect(missing.line("Deploy variables")).toMatch(/^✗ .*missing CLOUDFLARE_API_TOKEN/);
    expect(missing.line("Cloudflare")).toMatch(/^! Cloudflare: not checked/);
    expect(missing.code).toBe(1);

    const placeholder = await runSetup({ env: { CLOUDFLARE_ACCOUNT_ID: "0".repeat(32) }, gh: GREEN_GH });
    expect(placeholder.line("Deploy variables")).toMatch(/^✗ .*local-dev placeholders/);
    expect(placeholder.code).toBe(1);
  });

  it("warns and says what to check by hand when gh is not installed", async () => {
    await startAccount({});
    const run = await runSetup({ gh: undefined });
    expect(run.line("GitHub")).toMatch(/^! GitHub: gh is not installed/);
    expect(run.output).toMatch(
      /fix: in Settings → Environments, check that production and staging each hold CLOUDFLARE_API_TOKEN/,
    );
    expect(run.code).toBe(0);
  });

  it("fails naming a GitHub secret that is nowhere, and a missing production environment", async () => {
    await startAccount({});
    const secretMissing = await runSetup({
      gh: {
        ...GREEN_GH,
        envSecrets: {
          ...GREEN_GH.envSecrets,
          production: ["CLOUDFLARE_API_TOKEN", "ALCHEMY_PASSWORD", "PASSWORD_PEPPER"],
        },
      },
    });
    expect(secretMissing.line("GitHub secrets")).toBe(
      "✗ GitHub secrets: missing CLOUDFLARE_ACCOUNT_ID (environment production), ALCHEMY_STATE_TOKEN (environment production)",
    );
    expect(secretMissing.code).toBe(1);

    // The Worker secret is checked like the credentials: in both release environments and for previews.
    const withoutPepper = (names: string[] = []) => names.filter((name) => !name.endsWith("PASSWORD_PEPPER"));
    const pepperMissing = await runSetup({
      gh: {
        ...GREEN_GH,
        repoSecrets: withoutPepper(GREEN_GH.repoSecrets),
        envSecrets: { ...GREEN_GH.envSecrets, staging: withoutPepper(GREEN_GH.envSecrets?.staging) },
      },
    });
    expect(pepperMissing.line("GitHub secrets")).toBe(
      "✗ GitHub secrets: missing PASSWORD_PEPPER (environment staging), PREVIEW_PASSWORD_PEPPER (repository)",
    );

    const previewMissing = await runSetup({ gh: { ...GREEN_GH, repoSecrets: [] } });
    expect(previewMissing.line("GitHub secrets")).toMatch(/^✗ .*PREVIEW_CLOUDFLARE_API_TOKEN \(repository\)/);

    const exposed = await runSetup({
      gh: { ...GREEN_GH, repoSecrets: [...(GREEN_GH.repoSecrets ?? []), "CLOUDFLARE_API_TOKEN"] },
    });
    expect(exposed.line("GitHub secrets")).toMatch(/^! .*CLOUDFLARE_API_TOKEN also exist as repository secrets/);

    const noProduction = await runSetup({
      gh: { ...GREEN_GH, environments: GREEN_GH.environments?.filter((e) => e.name !== "production") },
    });
    expect(noProduction.line("GitHub environments")).toMatch(/^✗ GitHub environments: "production" is missing/);
    expect(noProduction.code).toBe(1);

    const unrestricted = await runSetup({
      gh: {
        ...GREEN_GH,
        environments: [
          { name: "production", deployment_branch_policy: null },
          { name: "staging", deployment_branch_policy: null },
        ],
      },
    });
    expect(unrestricted.line("GitHub environments")).toMatch(/^! .*accepts deployments from any branch/);
  });

  it("refuses an unknown plan or a bad --previews with a usage error", async () => {
    const plan = await runSetup({ args: ["--plan", "enterprise"], gh: GREEN_GH });
    expect(plan.output).toContain("--plan must be free or paid.");
    expect(plan.code).toBe(2);
    const previews = await runSetup({ args: ["--previews", "0"], gh: GREEN_GH });
    expect(previews.output).toContain("--previews must be a whole number from 1 to 9999.");
    expect(previews.code).toBe(2);
  });

  it("warns instead of guessing when gh cannot read the repository", async () => {
    await startAccount({});
    const run = await runSetup({ gh: { failWith: "To get started with GitHub CLI, please run:  gh auth login" } });
    expect(run.line("GitHub")).toMatch(
      /^! GitHub: not checked: gh api repos\/\{owner\}\/\{repo\}\/environments failed: To get started/,
    );
    expect(run.output).toContain("gh auth login");
  });
});
