// The users table: lookups by email and id, new accounts, and accounts from the identity provider.
import { afterRevocation, revocationStatement } from "./credential-revocation.ts";
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
  const hash = await db
    .prepare("SELECT password_hash FROM users WHERE id = ?1")
    .bind(userId)
    .first<string | null>("password_hash");
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
  /** True only when the provider's `email_verified` claim is the JSON boolean `true`. */
  emailVerified: boolean;
}

export type FederatedUser =
  | { ok: true; user: AuthUser; linked: boolean; revoked: string[] }
  /** `unverified`: a password account holds the email and the provider did not vouch for it;
   * `linked_elsewhere`: the account holding the email is already linked to another subject. */
  | { ok: false; reason: "unverified" | "linked_elsewhere" };

/**
 * The account behind an identity-provider subject, created on first sight. An existing password
 * account with the same email is linked only when the provider vouches for the email, and linking
 * takes the account from whoever held it before: its password is cleared and every credential it
 * had is revoked in the same batch, so a squatter who signed up with someone else's address first
 * keeps nothing (docs/security.md, "Identity provider linking").
 */
export async function findOrCreateFederatedUser(
  db: D1Database,
  identity: FederatedIdentity,
  now: number,
): Promise<FederatedUser> {
  const bySubject = db.prepare("SELECT id, email, name FROM users WHERE external_subject = ?1").bind(identity.subject);
  const known = await bySubject.first<AuthUser>();
  if (known) return { ok: true, user: known, linked: false, revoked: [] };

  const newUser = { ...identity, id: crypto.randomUUID(), passwordHash: null, externalSubject: identity.subject, now };
  const [, created] = await db.batch<AuthUser>([insertUserStatement(db, newUser), bySubject]);
  const user = created?.results[0];
  if (user) return { ok: true, user, linked: false, revoked: [] };

  const holder = await db
    .prepare(`SELECT id, external_subject FROM users WHERE ${BY_EMAIL}`)
    .bind(identity.email.trim())
    .first<{ id: string; external_subject: string | null }>();
  if (!holder || holder.external_subject !== null) return { ok: false, reason: "linked_elsewhere" };
  if (!identity.emailVerified) return { ok: false, reason: "unverified" };

  const [link, revocation] = await db.batch([
    db
      .prepare(
        `UPDATE users SET external_subject = ?2, password_hash = NULL, updated_at = ?3
         WHERE id = ?1 AND external_subject IS NULL RETURNING id, email, name`,
      )
      .bind(holder.id, identity.subject, now),
    revocationStatement(db, { userId: holder.id }, now),
  ]);
  const revoked = revocation ? afterRevocation(revocation) : [];
  const linked = (link?.results[0] as AuthUser | undefined) ?? (await bySubject.first<AuthUser>());
  // Linked to another subject between our read and write: that link stands.
  if (!linked) return { ok: false, reason: "linked_elsewhere" };
  return { ok: true, user: linked, linked: true, revoked };
}
