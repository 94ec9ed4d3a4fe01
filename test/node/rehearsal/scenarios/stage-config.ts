// Per-stage configuration on the double: production's and previews' own values reach their stage only, prod's custom
// domain is attached and later detached, the password pepper reaches each Worker as secret_text and never appears in
// output or state, and a bad value or a missing secret stops the deploy before it writes anything.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { APP_NAME } from "../../../../infra/core/runtime.ts";
import type { CloudflareDouble } from "../cloudflare-double/index.ts";
import { withOwnAccount } from "../own-account.ts";
import type { ProjectCopy } from "../project-copy.ts";
import type { Rehearsal } from "../rehearsal-context.ts";
import { PASSWORD_PEPPER } from "../rehearsal-env.ts";
import { printedStageUrl, stageWorker } from "../stage-inspection.ts";
import { health, type StageClient, stageClient } from "../user-flow.ts";

const PROD_ORIGIN = "https://app.rehearsal.example";
const PREVIEW_ORIGIN = "https://preview.rehearsal.example";
const ZONE = "rehearsal.example";
const PROD_DOMAIN = `api.${ZONE}`;

function bindingsOf(double: CloudflareDouble, stage: string) {
  const worker = stageWorker(double, stage);
  if (!worker) throw new Error(`Stage ${stage} has no Worker on the double.`);
  return worker.bindings;
}

function plainText(double: CloudflareDouble, stage: string): Record<string, string> {
  return Object.fromEntries(
    bindingsOf(double, stage).flatMap((b) => (b.type === "plain_text" ? [[b.name, b.text]] : [])),
  );
}

async function signUpAndLogIn(client: StageClient): Promise<{ signup: number; login: number }> {
  const credentials = { email: `cfg-${crypto.randomUUID()}@example.com`, password: `pw-${crypto.randomUUID()}` };
  const signup = await client.request("/v1/auth/signup", { method: "POST", body: credentials });
  const login = await client.request("/v1/auth/login", { method: "POST", body: credentials });
  return { signup: signup.status, login: login.status };
}

/** Every file alchemy's filesystem state holds for the stage, as text. */
async function stateText(project: ProjectCopy, stage: string): Promise<string> {
  const dir = join(project.dir, ".alchemy", APP_NAME, stage);
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith(".json"));
  return (await Promise.all(files.map((file) => readFile(join(dir, file), "utf8")))).join("\n");
}

export async function perStageConfiguration(rehearsal: Rehearsal): Promise<void> {
  const project = await rehearsal.checkout();
  const preview = `rh-${rehearsal.runId}-cfg`;
  // What a fork writes in infra/stage-config.ts: production closed to signups with its app's origin, previews open.
  await project.edit("infra/stage-config.ts", (text) =>
    text
      .replace(
        'CORS_ORIGINS: "",\n  SIGNUP_ENABLED: true,',
        `CORS_ORIGINS: "${PROD_ORIGIN}",\n  SIGNUP_ENABLED: false,`,
      )
      .replace("preview: { vars: {} },", `preview: { vars: { CORS_ORIGINS: "${PREVIEW_ORIGIN}" } },`)
      .replace("stages: {},", `stages: { prod: { domains: ["${PROD_DOMAIN}"] } },`),
  );

  // Production is a fixed name: an account of this scenario's own, with a zone for its custom domain.
  await withOwnAccount({ zones: [ZONE] }, async ({ double, npm }) => {
    const outputs = [];
    for (const stage of ["prod", preview]) outputs.push((await npm(project, "deploy", ["--stage", stage])).output);

    // 1. Each stage's values on its own Worker only.
    expect(plainText(double, "prod")).toMatchObject({ CORS_ORIGINS: PROD_ORIGIN, SIGNUP_ENABLED: "false" });
    expect(plainText(double, preview)).toMatchObject({ CORS_ORIGINS: PREVIEW_ORIGIN, SIGNUP_ENABLED: "true" });
    const prodClient = stageClient(printedStageUrl(outputs[0] ?? "", "prod"), double.gatewayUrl);
    const previewClient = stageClient(printedStageUrl(outputs[1] ?? "", preview), double.gatewayUrl);
    expect((await signUpAndLogIn(prodClient)).signup).toBe(403);
    expect(await signUpAndLogIn(previewClient)).toEqual({ signup: 201, login: 200 });

    // Production's custom domain: attached to prod's Worker alone, serving it.
    expect([...double.account.domains.values()].map((d) => [d.hostname, d.service])).toEqual([
      [PROD_DOMAIN, stageWorker(double, "prod")?.name],
    ]);
    expect(await health(stageClient(`https://${PROD_DOMAIN}`, double.gatewayUrl))).toMatchObject({ stage: "prod" });

    // 2. The pepper: a secret_text binding on both Workers, never plain text, never printed, encrypted in state.
    for (const stage of ["prod", preview]) {
      const pepper = bindingsOf(double, stage).filter((b) => b.name === "PASSWORD_PEPPER");
      expect(pepper.map((b) => b.type)).toEqual(["secret_text"]);
      expect(Object.values(plainText(double, stage))).not.toContain(PASSWORD_PEPPER);
      const state = await stateText(project, stage);
      expect(state).toContain('"@secret"');
      expect(state).not.toContain(PASSWORD_PEPPER);
    }
    for (const output of outputs) expect(output).not.toContain(PASSWORD_PEPPER);

    // 3. A deploy without the secret, or with an invalid value, stops before it writes anything.
    const writes = () => double.calls.filter((call) => call.method !== "GET").length;
    const before = writes();
    const noSecret = await npm(project, "deploy", ["--stage", `${preview}-2`], "nonzero", { PASSWORD_PEPPER: "" });
    expect(noSecret.output).toContain(`Stage "${preview}-2" needs the Worker secret PASSWORD_PEPPER`);
    await project.edit("infra/stage-config.ts", (text) =>
      text.replace(
        `preview: { vars: { CORS_ORIGINS: "${PREVIEW_ORIGIN}" } },`,
        "preview: { vars: { SESSION_MAX_TASKS: 0 } },",
      ),
    );
    const invalid = await npm(project, "deploy", ["--stage", preview], "nonzero");
    expect(invalid.output).toContain(`Stage "${preview}" (preview) has an invalid Worker configuration`);
    expect(invalid.output).toContain("SESSION_MAX_TASKS (infra/stage-config.ts kinds.preview)");
    expect(writes()).toBe(before);
    expect(stageWorker(double, `${preview}-2`)).toBeUndefined();
    expect(plainText(double, preview).CORS_ORIGINS).toBe(PREVIEW_ORIGIN);
    expect(await health(previewClient)).toMatchObject({ ok: true, stage: preview });

    // 4. A domain taken out of the file is detached by the next deploy; the workers.dev URL stays.
    await project.edit("infra/stage-config.ts", (text) =>
      text.replace(`stages: { prod: { domains: ["${PROD_DOMAIN}"] } },`, "stages: {},"),
    );
    await npm(project, "deploy", ["--stage", "prod"]);
    expect([...double.account.domains.values()]).toEqual([]);
    expect(await health(prodClient)).toMatchObject({ ok: true, stage: "prod" });
  });
}
