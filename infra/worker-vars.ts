// Plain-text Worker variables: their defaults, declared once. Each stage's values (infra/stage-config.ts) are
// validated with src/config's schema by infra/worker-config.ts (deploy, dev, tests) and by the Worker itself.

/**
 * Per-session limits enforced inside SessionDO (and by the routes in front of it). Far below
 * SQLite's 2 MB row limit on purpose: a message is a chat turn, not a file upload.
 */
export const SESSION_LIMIT_DEFAULTS = {
  SESSION_MAX_CONTENT_BYTES: "32768",
  SESSION_MAX_METADATA_BYTES: "8192",
  SESSION_MAX_PAGE_SIZE: "200",
  SESSION_MAX_TITLE_LENGTH: "200",
  /** Task lists are returned whole, so their length is bounded here. */
  SESSION_MAX_TASKS: "1000",
  /** How long changes gather in a session before one D1 write refreshes its index row. */
  SESSION_INDEX_FLUSH_MS: "5000",
};

/** Per-connection and per-session WebSocket limits (docs/realtime.md). */
export const REALTIME_LIMIT_DEFAULTS = {
  WS_MAX_FRAME_BYTES: "65536",
  WS_MAX_MESSAGES_PER_SECOND: "20",
  WS_MAX_SOCKETS_PER_SESSION: "256",
  /** Below the session limit: the owner's share of it is reserved (docs/security.md). */
  WS_MAX_SOCKETS_PER_USER: "8",
  WS_TICKET_TTL_SECONDS: "60",
  /** Bound on how long a socket outlives a revoked credential or membership (docs/security.md). */
  WS_ACCESS_RECHECK_SECONDS: "30",
};

/** Browser apps allowed to call the API from `npm run dev` (common dev-server ports): the dev kind's CORS_ORIGINS. */
export const LOCAL_DEV_CORS_ORIGINS = "http://localhost:3000,http://localhost:5173,http://127.0.0.1:5173";

/**
 * Authentication and HTTP settings (docs/api.md, "Authentication"). The identity provider is off while
 * its three values are empty. The body limit fits a 32 KiB message plus 8 KiB of metadata with room
 * for JSON escaping and the envelope.
 */
export const AUTH_HTTP_DEFAULTS = {
  SIGNUP_ENABLED: "true",
  LOGIN_TOKEN_TTL_DAYS: "30",
  IDP_ISSUER: "",
  IDP_JWKS_URL: "",
  IDP_AUDIENCE: "",
  MAX_BODY_BYTES: "65536",
  /** Brute-force limits (docs/security.md, "Brute-force and quotas"): a lockout needs the attacker's own IP. */
  LOGIN_ATTEMPTS_PER_EMAIL_AND_IP: "10",
  /** Ceiling per email from IPs that never signed in to it; IPs that did are exempt. */
  LOGIN_ATTEMPTS_PER_EMAIL: "100",
  LOGIN_ATTEMPTS_PER_IP: "100",
  LOGIN_ATTEMPT_WINDOW_SECONDS: "900",
  SIGNUPS_PER_IP: "10",
  SIGNUP_WINDOW_SECONDS: "3600",
};

/**
 * Local stages (`npm run dev`, the tests, the benchmark) serve every client from one address, so a
 * per-network signup limit would be a per-machine one there: the dev kind's SIGNUPS_PER_IP.
 */
export const LOCAL_SIGNUPS_PER_IP = "10000";

/** Per-user quotas (docs/security.md, "Brute-force and quotas"); past one: 409 in the error model. */
export const QUOTA_DEFAULTS = {
  QUOTA_SESSIONS_PER_USER: "1000",
  QUOTA_API_KEYS_PER_USER: "100",
  QUOTA_MEMBERS_PER_SESSION: "100",
};

/** Every plain-text Worker variable a stage may set, with its default (the secrets are in infra/worker-secrets.ts). */
export const WORKER_VAR_DEFAULTS = {
  ...SESSION_LIMIT_DEFAULTS,
  ...REALTIME_LIMIT_DEFAULTS,
  ...AUTH_HTTP_DEFAULTS,
  ...QUOTA_DEFAULTS,
  /** Browser origins allowed to call the API; none until a stage lists them (infra/stage-config.ts). */
  CORS_ORIGINS: "",
};

export type WorkerVariable = keyof typeof WORKER_VAR_DEFAULTS;

// In its own module, free of the Worker's configuration schema: the delivery CLI (verify:deployed) reads it too.
export { releaseVersion } from "./core/release-version.ts";
