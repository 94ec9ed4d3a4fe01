// The Worker's configuration schema: plain strings in, typed values out. Shared by infra (checked at
// deploy, dev and test start) and the Worker (checked once per environment), so neither can drift.
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
  });

export type Config = z.infer<typeof ConfigSchema>;

export { ConfigError } from "./variables.ts";

/** Parses the variables or throws a ConfigError naming every invalid one. */
export function parseConfig(vars: Readonly<Record<string, unknown>>): Config {
  return parseVariables(ConfigSchema, vars, "Worker configuration");
}
