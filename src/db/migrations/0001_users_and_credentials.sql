-- People and their credentials. Secrets are never stored: only SHA-256 hashes of tokens and
-- PBKDF2 hashes of passwords.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT,
  password_hash TEXT,                 -- NULL for users who only sign in through an identity provider
  external_subject TEXT,              -- `iss|sub` of a federated identity, when there is one
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email_unique ON users (email COLLATE NOCASE);
CREATE UNIQUE INDEX users_external_subject_unique ON users (external_subject) WHERE external_subject IS NOT NULL;

CREATE TABLE credentials (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('session', 'api_key')),
  name TEXT,
  secret_hash TEXT NOT NULL,          -- hex SHA-256 of the full token
  prefix TEXT NOT NULL,               -- first characters of the token, for display only
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  expires_at INTEGER,
  revoked_at INTEGER
);
CREATE UNIQUE INDEX credentials_secret_hash_unique ON credentials (secret_hash);
CREATE INDEX credentials_by_user_kind ON credentials (user_id, kind, created_at);
