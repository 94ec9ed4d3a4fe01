// The users table: lookups by email and id, new accounts, and accounts from the identity provider.
import type { AuthUser } from "./principal.ts";

/** Emails are unique and looked up case-insensitively (`users_email_unique` is COLLATE NOCASE). */
const BY_EMAIL = "email = ?1 COLLATE NOCASE";

/** For features that address people by email, such as sharing a session. */
export async function findUserByEmail(db: D1Database, email: string): Promise<AuthUser | null> {
  return db.prepare(`SELECT id, email, name FROM users WHERE ${BY_EMAIL}`).bind(email.trim()).first<AuthUser>();
}

export async function findPasswordLogin(
  db: D1Database,
  email: string,
): Promise<(AuthUser & { password_hash: string | null }) | null> {
  return db.prepare(`SELECT id, email, name, password_hash FROM users WHERE ${BY_EMAIL}`).bind(email.trim()).first();
}

/** The stored password hash, or null for an account that signs in only through the identity provider. */
export async function findPasswordHash(db: D1Database, userId: string): Promise<string | null> {
  const hash = await db.prepare("SELECT password_hash FROM users WHERE id = ?1").bind(userId).first<string | null>("password_hash");
  return hash ?? null;
}

export interface NewUser {
  id: string;
  email: string;
  name: string | null;
  passwordHash: string | null;
  externalSubject: string | null;
  now: number;
}

/** Inserts nothing when the email (or external subject) is taken: check `meta.changes`. */
export function insertUserStatement(db: D1Database, user: NewUser): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO users (id, email, name, password_hash, external_subject, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT DO NOTHING`,
    )
    .bind(user.id, user.email.trim(), user.name, user.passwordHash, user.externalSubject, user.now);
}

export function updatePasswordHashStatement(db: D1Database, userId: string, hash: string, now: number) {
  return db.prepare("UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1").bind(userId, hash, now);
}

export interface FederatedIdentity {
  /** `iss|sub`: stable across email changes at the identity provider. */
  subject: string;
  email: string;
  name: string | null;
  /** False only when the provider says the email is unverified. */
  emailVerified: boolean;
}

/**
 * The account behind an identity-provider subject, created on first sight. An existing password
 * account with the same email is linked only when the provider vouches for the email; otherwise
 * the result is null and the caller refuses the token.
 */
export async function findOrCreateFederatedUser(
  db: D1Database,
  identity: FederatedIdentity,
  now: number,
): Promise<AuthUser | null> {
  const bySubject = db.prepare("SELECT id, email, name FROM users WHERE external_subject = ?1").bind(identity.subject);
  const known = await bySubject.first<AuthUser>();
  if (known) return known;

  const newUser = { ...identity, id: crypto.randomUUID(), passwordHash: null, externalSubject: identity.subject, now };
  const [, created] = await db.batch<AuthUser>([insertUserStatement(db, newUser), bySubject]);
  const user = created?.results[0];
  if (user) return user;
  if (!identity.emailVerified) return null;

  return db
    .prepare(
      `UPDATE users SET external_subject = ?2, updated_at = ?3
       WHERE ${BY_EMAIL} AND external_subject IS NULL RETURNING id, email, name`,
    )
    .bind(identity.email.trim(), identity.subject, now)
    .first<AuthUser>();
}
