// The Worker's configuration schema, every variable and secret in one: plain strings in, typed values out.
// Shared by infra (checked at deploy, dev and test start) and the Worker (checked once per environment).
import { z } from "zod";
import { parseVariables } from "./variables.ts";

const integer = (min: number, max: number) =>
  z.string().regex(/^\d+$/, "expected a whole number").transform(Number).pipe(z.number().int().min(min).max(max));

/** An exact origin (`https://app.example.com`, no path) or `*`. */
const corsOrigin = z.string().refine((value) => {
  if (value === "*") return true;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, "expected `*` or an origin such as https://app.example.com (scheme, host, optional port; no path)");

const corsOrigins = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(z.array(corsOrigin));

const optional = <T extends z.ZodType>(schema: T) => z.union([z.literal("").transform(() => undefined), schema]);

/** The pepper's shortest accepted length: `openssl rand -base64 32` gives 44 characters. */
export const PEPPER_MIN_LENGTH = 32;
/** The current pepper, then any older ones still accepted while rotating (docs/configuration.md). */
const MAX_PEPPERS = 3;

/**
 * `PASSWORD_PEPPER`: comma-separated, current first. The messages never echo the value: a ConfigError is
 * printed by the deploy and logged by the Worker.
 */
const peppers = z
  .string()
  .transform((value) => value.split(",").map((pepper) => pepper.trim()))
  .pipe(
    z
      .array(
        z
          .string()
          .min(
            PEPPER_MIN_LENGTH,
            `each pepper needs at least ${PEPPER_MIN_LENGTH} characters (openssl rand -base64 32)`,
          ),
      )
      .min(1)
      .max(MAX_PEPPERS, `at most ${MAX_PEPPERS} peppers: the current one and those still being rotated out`)
      .refine((list) => new Set(list).size === list.length, "the same pepper is listed twice"),
  );

export const ConfigSchema = z
  .object({
    STAGE: z.string().min(1),
    VERSION: z.string().min(1),
    SIGNUP_ENABLED: z.stringbool(),
    LOGIN_TOKEN_TTL_DAYS: integer(1, 365),
    IDP_ISSUER: optional(z.string().min(1)),
    IDP_JWKS_URL: optional(z.url({ protocol: /^https$/ })),
    IDP_AUDIENCE: optional(z.string().min(1)),
    CORS_ORIGINS: corsOrigins,
    MAX_BODY_BYTES: integer(1024, 10 * 1024 * 1024),
    LOGIN_ATTEMPTS_PER_EMAIL_AND_IP: integer(1, 10_000),
    LOGIN_ATTEMPTS_PER_EMAIL: integer(1, 100_000),
    LOGIN_ATTEMPTS_PER_IP: integer(1, 100_000),
    LOGIN_ATTEMPT_WINDOW_SECONDS: integer(10, 86_400),
    SIGNUPS_PER_IP: integer(1, 100_000),
    SIGNUP_WINDOW_SECONDS: integer(10, 86_400),
    QUOTA_SESSIONS_PER_USER: integer(1, 1_000_000),
    QUOTA_API_KEYS_PER_USER: integer(1, 10_000),
    QUOTA_MEMBERS_PER_SESSION: integer(2, 10_000),
    // Per-session limits enforced inside SessionDO; far below SQLite's 2 MB row limit.
    SESSION_MAX_CONTENT_BYTES: integer(1, 1_048_576),
    SESSION_MAX_METADATA_BYTES: integer(2, 262_144),
    SESSION_MAX_PAGE_SIZE: integer(1, 1000),
    SESSION_MAX_TITLE_LENGTH: integer(1, 1000),
    SESSION_MAX_TASKS: integer(1, 10_000),
    SESSION_INDEX_FLUSH_MS: integer(100, 600_000),
    // Real-time limits (src/config/realtime-limits.ts).
    WS_MAX_FRAME_BYTES: integer(256, 1_048_576),
    WS_MAX_MESSAGES_PER_SECOND: integer(1, 10_000),
    WS_MAX_SOCKETS_PER_SESSION: integer(1, 32_768),
    WS_MAX_SOCKETS_PER_USER: integer(1, 32_767),
    WS_TICKET_TTL_SECONDS: integer(1, 60),
    /** At most the credential cache's 30 s, so a socket never outlives a revoked token by more than HTTP does. */
    WS_ACCESS_RECHECK_SECONDS: integer(1, 30),
    /** A Worker secret (secret_text), never a plain variable: keys the password hashes (src/auth/passwords.ts). */
    PASSWORD_PEPPER: peppers,
  })
  .refine(
    (c) =>
      [c.IDP_ISSUER, c.IDP_JWKS_URL, c.IDP_AUDIENCE].every((v) => v === undefined) ||
      (c.IDP_ISSUER && c.IDP_JWKS_URL && c.IDP_AUDIENCE),
    { message: "IDP_ISSUER, IDP_JWKS_URL and IDP_AUDIENCE are set together or not at all", path: ["IDP_ISSUER"] },
  )
  .refine((c) => c.LOGIN_ATTEMPTS_PER_EMAIL_AND_IP <= c.LOGIN_ATTEMPTS_PER_EMAIL, {
    message: "LOGIN_ATTEMPTS_PER_EMAIL_AND_IP must not exceed LOGIN_ATTEMPTS_PER_EMAIL (the per-email ceiling)",
    path: ["LOGIN_ATTEMPTS_PER_EMAIL_AND_IP"],
  })
  .refine((c) => c.WS_MAX_SOCKETS_PER_USER < c.WS_MAX_SOCKETS_PER_SESSION, {
    message: "must be below WS_MAX_SOCKETS_PER_SESSION (the owner's share is reserved out of it)",
    path: ["WS_MAX_SOCKETS_PER_USER"],
  });

/** Every variable and secret the Worker reads, by name: infra checks it declares exactly these. */
export const CONFIG_VARIABLES = Object.keys(ConfigSchema.shape) as (keyof typeof ConfigSchema.shape)[];

export type Config = z.infer<typeof ConfigSchema>;

export { ConfigError } from "./variables.ts";

/** Parses the variables or throws a ConfigError naming every invalid one. */
export function parseConfig(vars: Readonly<Record<string, unknown>>): Config {
  return parseVariables(ConfigSchema, vars, "Worker configuration");
}
