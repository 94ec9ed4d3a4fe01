// A stage's Worker configuration as infra resolves it before dev, a deploy or the tests: kinds, per-stage
// overrides, the Worker's own schema, the secret's sources, and what the Worker resource receives.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isSecret } from "alchemy";
import { afterAll, describe, expect, it } from "vitest";
import { STAGE_CONFIG } from "../../../infra/stage-config.ts";
import { type StageConfig, StageConfigError, stageKind, stageSettings } from "../../../infra/stage-settings.ts";
import { configBindings, configDomains } from "../../../infra/worker-bindings.ts";
import { stageWorkerConfig } from "../../../infra/worker-config.ts";
import type { WorkerSecrets } from "../../../infra/worker-secrets.ts";
import {
  deploySecrets,
  ephemeralSecrets,
  localSecrets,
  MissingSecretError,
  WORKER_SECRETS,
} from "../../../infra/worker-secrets.ts";
import { WORKER_VAR_DEFAULTS } from "../../../infra/worker-vars.ts";
import { CONFIG_VARIABLES, ConfigError } from "../../../src/config/config-schema.ts";

const secrets = ephemeralSecrets();
const empty: StageConfig = { kinds: { production: {}, staging: {}, preview: {}, dev: {} } };

function configFor(stage: string, stageConfig: StageConfig, local = false) {
  return stageWorkerConfig({ stage, version: "1.2.3", local, secrets, stageConfig });
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("stage kinds", () => {
  it("prod is production, staging is staging, any other deployed stage a preview, every local run dev", () => {
    expect(stageKind("prod", false)).toBe("production");
    expect(stageKind("staging", false)).toBe("staging");
    expect(stageKind("feature-login-1a2b3c", false)).toBe("preview");
    expect(stageKind("demo", false)).toBe("preview");
    for (const stage of ["prod", "staging", "alice", "test"]) expect(stageKind(stage, true)).toBe("dev");
  });
});

describe("per-stage settings", () => {
  const layered: StageConfig = {
    kinds: {
      ...empty.kinds,
      production: { vars: { CORS_ORIGINS: "https://app.example.com", SIGNUP_ENABLED: false, SESSION_MAX_TASKS: 500 } },
      preview: { vars: { CORS_ORIGINS: "https://preview.example.com" } },
    },
    stages: { prod: { vars: { SESSION_MAX_TASKS: 250 } }, demo: { vars: { SIGNUP_ENABLED: false } } },
  };

  it("layers the defaults, the kind and the stage's own values, as the strings the Worker reads", () => {
    const prod = configFor("prod", layered).vars;
    expect(prod).toMatchObject({ CORS_ORIGINS: "https://app.example.com", SIGNUP_ENABLED: "false" });
    expect(prod.SESSION_MAX_TASKS).toBe("250");
    expect(prod.MAX_BODY_BYTES).toBe(WORKER_VAR_DEFAULTS.MAX_BODY_BYTES);
    expect(prod).toMatchObject({ STAGE: "prod", VERSION: "1.2.3" });

    const preview = configFor("feature-x", layered).vars;
    expect(preview).toMatchObject({ CORS_ORIGINS: "https://preview.example.com", SIGNUP_ENABLED: "true" });
    expect(preview.SESSION_MAX_TASKS).toBe(WORKER_VAR_DEFAULTS.SESSION_MAX_TASKS);
    expect(configFor("demo", layered).vars.SIGNUP_ENABLED).toBe("false");
    expect(configFor("staging", layered).vars.CORS_ORIGINS).toBe(WORKER_VAR_DEFAULTS.CORS_ORIGINS);
  });

  it("records where each value came from", () => {
    const { origins } = stageSettings("prod", false, layered);
    expect(origins.SESSION_MAX_TASKS).toBe("infra/stage-config.ts stages.prod");
    expect(origins.CORS_ORIGINS).toBe("infra/stage-config.ts kinds.production");
    expect(origins.MAX_BODY_BYTES).toBe("infra/worker-vars.ts default");
  });

  it("ships a configuration every kind of stage accepts", () => {
    for (const [stage, local] of [
      ["prod", false],
      ["staging", false],
      ["feature-x", false],
      ["alice", true],
    ] as const) {
      expect(() => stageWorkerConfig({ stage, version: "1", local, secrets, stageConfig: STAGE_CONFIG })).not.toThrow();
    }
  });

  it("declares exactly the variables the Worker's schema reads (a new one needs both)", () => {
    const declared = [...Object.keys(configFor("prod", empty).vars), ...WORKER_SECRETS];
    expect(declared.sort()).toEqual([...CONFIG_VARIABLES].sort());
    const withExtra = { ...secrets, EXTRA: "x" } as WorkerSecrets;
    const run = () => stageWorkerConfig({ stage: "prod", version: "1", local: false, secrets: withExtra });
    expect(run).toThrow(ConfigError);
    expect(refusal(run)).toContain("EXTRA: declared in infra but not in src/config/config-schema.ts");
  });
});

describe("an invalid value stops dev, deploy and the tests, naming it, its origin and the stage", () => {
  const bad: StageConfig = {
    kinds: { ...empty.kinds, production: { vars: { SESSION_MAX_TASKS: 0 } } },
    stages: { demo: { vars: { WS_MAX_SOCKETS_PER_USER: 300, CORS_ORIGINS: "https://a.example/path" } } },
  };

  it("SESSION_MAX_TASKS=0 on production: refused there, and only there", () => {
    const message = refusal(() => configFor("prod", bad));
    expect(message).toContain('Stage "prod" (production) has an invalid Worker configuration');
    expect(message).toContain("SESSION_MAX_TASKS (infra/stage-config.ts kinds.production)");
    expect(() => configFor("feature-x", bad)).not.toThrow();
    expect(() => configFor("prod", bad, true)).not.toThrow();
  });

  it("names each bad value of a stage's own settings, cross-field rules included", () => {
    const message = refusal(() => configFor("demo", bad));
    expect(message).toContain('Stage "demo" (preview)');
    expect(message).toContain("WS_MAX_SOCKETS_PER_USER (infra/stage-config.ts stages.demo)");
    expect(message).toContain("CORS_ORIGINS (infra/stage-config.ts stages.demo)");
  });

  it("a weak secret is named with its source, never printed", () => {
    const weak = "only-twenty-chars-xx";
    const message = refusal(() =>
      stageWorkerConfig({ stage: "prod", version: "1", local: false, secrets: { PASSWORD_PEPPER: weak } }),
    );
    expect(message).toContain("PASSWORD_PEPPER (the deploy's environment (secret))");
    expect(message).not.toContain(weak);
  });

  it("refuses unknown variables, secrets written into the file and invalid stage names", () => {
    const wrong = {
      kinds: { ...empty.kinds, preview: { vars: { SESION_MAX_TASKS: 5, PASSWORD_PEPPER: "x".repeat(40) } } },
      stages: { Prod_1: {} },
    } as unknown as StageConfig;
    const message = refusal(() => configFor("feature-x", wrong));
    expect(message).toContain("kinds.preview.vars: SESION_MAX_TASKS is not a Worker variable");
    expect(message).toContain("kinds.preview.vars: PASSWORD_PEPPER is a Worker secret");
    expect(message).toContain("stages.Prod_1:");
    expect(() => configFor("feature-x", wrong)).toThrow(StageConfigError);
  });
});

describe("custom domains", () => {
  const withDomains: StageConfig = {
    ...empty,
    stages: {
      prod: {
        domains: ["api.example.com", { name: "eu.api.example.com", zoneId: "0123456789abcdef0123456789abcdef" }],
      },
      staging: { domains: ["staging-api.example.com"] },
    },
  };

  it("give the stage's Worker alchemy's `domains`, nothing to other stages or to a local run", () => {
    expect(configDomains(configFor("prod", withDomains))).toEqual({
      domains: [
        { domainName: "api.example.com" },
        { domainName: "eu.api.example.com", zoneId: "0123456789abcdef0123456789abcdef" },
      ],
    });
    expect(configDomains(configFor("staging", withDomains))).toEqual({
      domains: [{ domainName: "staging-api.example.com" }],
    });
    expect(configDomains(configFor("feature-x", withDomains))).toEqual({});
    expect(configDomains(configFor("prod", withDomains, true))).toEqual({});
  });

  it("refuses a hostname that is not one, and one hostname on two stages", () => {
    const clash: StageConfig = {
      ...empty,
      stages: { prod: { domains: ["api.example.com"] }, staging: { domains: ["api.example.com", "https://x.io/"] } },
    };
    const message = refusal(() => configFor("prod", clash));
    expect(message).toContain('stages.staging.domains: "api.example.com" is already the domain of stage prod');
    expect(message).toContain('stages.staging.domains: "https://x.io/" is not a lowercase hostname');
  });
});

describe("the Worker secret", () => {
  it("reaches the Worker resource as an alchemy secret (secret_text), the variables as plain text", () => {
    const bindings = configBindings(configFor("prod", empty));
    expect(isSecret(bindings.PASSWORD_PEPPER)).toBe(true);
    expect(bindings.PASSWORD_PEPPER.unencrypted).toBe(secrets.PASSWORD_PEPPER);
    expect(String(bindings.PASSWORD_PEPPER)).not.toContain(secrets.PASSWORD_PEPPER);
    expect(typeof bindings.SESSION_MAX_TASKS).toBe("string");
  });

  it("is required from the environment of a deploy, with no default, naming the stage and where it is kept", () => {
    const env = { ALCHEMY_PASSWORD: "pw", PASSWORD_PEPPER: secrets.PASSWORD_PEPPER };
    expect(deploySecrets("prod", env)).toEqual({ PASSWORD_PEPPER: secrets.PASSWORD_PEPPER });
    const missing = refusal(() => deploySecrets("prod", { ALCHEMY_PASSWORD: "pw" }));
    expect(missing).toContain('Stage "prod" needs the Worker secret PASSWORD_PEPPER, and there is no default');
    const inActions = refusal(() => deploySecrets("feature-x", { ALCHEMY_PASSWORD: "pw", GITHUB_ACTIONS: "true" }));
    expect(inActions).toContain("PREVIEW_PASSWORD_PEPPER");
    expect(() => deploySecrets("prod", { PASSWORD_PEPPER: secrets.PASSWORD_PEPPER })).toThrow(/ALCHEMY_PASSWORD/);
    expect(() => deploySecrets("prod", { ALCHEMY_PASSWORD: "pw", PASSWORD_PEPPER: "" })).toThrow(MissingSecretError);
  });

  describe("locally", () => {
    const dir = mkdtempSync(join(tmpdir(), "local-secrets-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("is generated once per checkout, readable by its owner only, and kept", () => {
      const file = join(dir, ".alchemy", "local-secrets.json");
      const first = localSecrets(file);
      expect(first.worker.PASSWORD_PEPPER.length).toBeGreaterThanOrEqual(32);
      expect(first.statePassword).not.toBe(first.worker.PASSWORD_PEPPER);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(localSecrets(file)).toEqual(first);
      expect(localSecrets(join(dir, "other.json")).worker.PASSWORD_PEPPER).not.toBe(first.worker.PASSWORD_PEPPER);
    });

    it("is the same for runs started at once on a fresh checkout (the first file written wins)", async () => {
      const file = join(dir, "race", "local-secrets.json");
      const module = new URL("../../../infra/worker-secrets.ts", import.meta.url).href;
      const script = `import { localSecrets } from ${JSON.stringify(module)}; console.log(JSON.stringify(localSecrets(process.argv[1])));`;
      const run = () =>
        new Promise<string>((resolve, reject) =>
          execFile(process.execPath, ["--input-type=module", "-e", script, file], (error, stdout) =>
            error ? reject(error) : resolve(stdout.trim()),
          ),
        );
      const results = await Promise.all(Array.from({ length: 6 }, run));
      expect(new Set(results).size).toBe(1);
      expect(JSON.parse(results[0] ?? "")).toEqual(localSecrets(file));
    });

    it("is a fresh value for each test run", () => {
      expect(ephemeralSecrets().PASSWORD_PEPPER).not.toBe(ephemeralSecrets().PASSWORD_PEPPER);
    });
  });
});

describe("docs/configuration.md", () => {
  it("documents every variable and secret the Worker reads", () => {
    const doc = readFileSync("docs/configuration.md", "utf8");
    for (const name of CONFIG_VARIABLES) expect(doc, name).toContain(`\`${name}\``);
  });
});
