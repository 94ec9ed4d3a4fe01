// Per-stage Worker settings: the one file a fork edits to configure production, staging, previews and laptops
// apart (docs/configuration.md). Checked with the Worker's own schema before dev, a deploy or the tests start.
import type { StageConfig } from "./stage-settings.ts";
import { LOCAL_DEV_CORS_ORIGINS, LOCAL_SIGNUPS_PER_IP } from "./worker-vars.ts";

/**
 * What production serves with. Staging spreads it so the release is checked against production's settings;
 * change a value for staging alone by listing it after the spread.
 */
const production = {
  /** The browser apps allowed to call the API, e.g. "https://app.example.com". None until listed. */
  CORS_ORIGINS: "",
  SIGNUP_ENABLED: true,
  /** Your identity provider (all three or none; docs/api.md, "Authentication"). */
  IDP_ISSUER: "",
  IDP_JWKS_URL: "",
  IDP_AUDIENCE: "",
};

export const STAGE_CONFIG: StageConfig = {
  /**
   * By kind of stage, over the defaults of infra/worker-vars.ts. `production` is the stage `prod`,
   * `staging` is `staging`, `preview` every other deployed stage (branch previews, stages deployed by hand),
   * `dev` every local run: `npm run dev`, the tests and the benchmark.
   */
  kinds: {
    production: { vars: production },
    staging: { vars: { ...production } },
    preview: { vars: {} },
    dev: { vars: { CORS_ORIGINS: LOCAL_DEV_CORS_ORIGINS, SIGNUPS_PER_IP: LOCAL_SIGNUPS_PER_IP } },
  },
  /**
   * By stage name, over its kind: variables and, for deployed stages, custom domains, e.g.
   * `prod: { domains: ["api.example.com"] }` (the token then needs the zone permissions in docs/configuration.md).
   */
  stages: {},
};
