// Request and response schemas for the auth and API-key routes: they validate and they document.
import { z } from "@hono/zod-openapi";
import { isWellFormed, NOT_WELL_FORMED } from "../shared/text.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./passwords.ts";

const Email = z.email().max(254).openapi({ example: "ada@example.com" });
const Name = z.string().trim().min(1).max(100).refine(isWellFormed, NOT_WELL_FORMED);
const Timestamp = z.iso.datetime().openapi({ example: "2026-01-01T12:00:00.000Z" });

/** The rules for a new password, at signup and at a change. */
const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH)
  .max(PASSWORD_MAX_LENGTH)
  .openapi({ example: "correct horse battery" });
/** A password to check: length rules belong to choosing one; a check only needs to fail, never to explain. */
const GivenPassword = z.string().min(1).max(PASSWORD_MAX_LENGTH);

// Bodies are strict, like the session routes': an unknown (say, misspelt) field is a 422, not ignored.
export const SignupBody = z
  .strictObject({
    email: Email,
    password: NewPassword,
    name: Name.optional().openapi({ example: "Ada Lovelace" }),
  })
  .openapi("SignupRequest");

export const LoginBody = z
  .strictObject({
    email: Email,
    password: GivenPassword.openapi({ example: "correct horse battery" }),
  })
  .openapi("LoginRequest");

export const UserSchema = z
  .object({
    id: z.string().openapi({ example: "6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b" }),
    email: z.string(),
    name: z.string().nullable(),
  })
  .openapi("User");

export const AuthResponse = z
  .object({
    user: UserSchema,
    token: z.string().openapi({ description: "Login token (`sat_…`): shown once, send as `Authorization: Bearer`" }),
    expiresAt: Timestamp,
  })
  .openapi("AuthResponse");

export const MeResponse = z.object({ user: UserSchema }).openapi("Me");

export const CreateApiKeyBody = z
  .strictObject({
    name: Name.openapi({ example: "ci-deploys" }),
    expiresInDays: z.number().int().min(1).max(3650).optional().openapi({
      description:
        "Days until the key expires (1–3650). Omitted: never, except that a key never outlives the credential creating it (see `currentPassword`)",
      example: 90,
    }),
    currentPassword: GivenPassword.optional().openapi({
      description:
        "Your password. With it the key is bound to you, not to the token creating it: it may outlive that token and survives its revocation. Without it the key expires no later than the presenting token or key and is revoked with it. Counted by the login limits",
    }),
  })
  .openapi("CreateApiKeyRequest");

const ApiKeyFields = {
  id: z.string(),
  name: z.string().nullable(),
  prefix: z.string().openapi({ description: "First characters of the key, to recognise it", example: "sak_Xq3vB9dK" }),
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
};

export const ApiKeyCreated = z
  .object({
    ...ApiKeyFields,
    key: z.string().openapi({ description: "The secret (`sak_…`): shown once, never again" }),
  })
  .openapi("ApiKeyCreated");

export const ApiKeySummary = z
  .object({
    ...ApiKeyFields,
    lastUsedAt: Timestamp.nullable().openapi({ description: "Recorded at most once a minute; null if never used" }),
  })
  .openapi("ApiKey");

export const ApiKeyList = z
  .object({
    items: z.array(ApiKeySummary),
    nextCursor: z.string().nullable().openapi({ description: "Pass back as `?cursor=`; null on the last page" }),
  })
  .openapi("ApiKeyList");

export const ListCredentialsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: "Page size (1–200)" }),
  cursor: z.string().max(200).optional().openapi({ description: "The `nextCursor` of the previous page" }),
});

/** Credential ids are UUIDs; anything not visible ASCII or over 64 characters is a 422. */
export const CredentialIdParam = z.object({
  id: z
    .string()
    .regex(/^[\x21-\x7E]{1,64}$/, "Expected 1 to 64 visible ASCII characters.")
    .openapi({ param: { name: "id", in: "path" } }),
});

export const ChangePasswordBody = z
  .strictObject({ currentPassword: GivenPassword, newPassword: NewPassword })
  .openapi("ChangePasswordRequest");

export const RevokedCount = z
  .object({ revoked: z.number().int().openapi({ description: "Credentials revoked, those they minted included" }) })
  .openapi("Revoked");

export const LoginTokenSummary = z
  .object({
    id: z.string(),
    prefix: z
      .string()
      .openapi({ description: "First characters of the token, to recognise it", example: "sat_Xq3vB9dK" }),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable().openapi({ description: "Recorded at most once a minute; null if never used" }),
    expiresAt: Timestamp,
    userAgent: z.string().nullable().openapi({ description: "The User-Agent that signed in (first 256 characters)" }),
    current: z.boolean().openapi({ description: "True for the token presenting this request" }),
  })
  .openapi("LoginToken");

export const LoginTokenList = z
  .object({
    items: z.array(LoginTokenSummary),
    nextCursor: z.string().nullable().openapi({ description: "Pass back as `?cursor=`; null on the last page" }),
  })
  .openapi("LoginTokenList");

export const RevokeAllTokensQuery = z.object({
  includeCurrent: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true")
    .openapi({
      description: "Also revoke the token presenting this request (default false: sign out everywhere else)",
    }),
});

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
