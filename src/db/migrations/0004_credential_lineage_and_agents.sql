-- Credentials a user can manage: which credential minted each one (a child never outlives its parent
-- and is revoked with it) and the User-Agent a login token was issued to, to recognise it in a list.
ALTER TABLE credentials ADD COLUMN parent_id TEXT REFERENCES credentials (id) ON DELETE CASCADE;
ALTER TABLE credentials ADD COLUMN user_agent TEXT;
-- Revocation walks parent -> children.
CREATE INDEX credentials_by_parent ON credentials (parent_id) WHERE parent_id IS NOT NULL;
-- Quota checks count a user's owned, live sessions.
CREATE INDEX sessions_by_owner ON sessions (owner_id) WHERE deleted_at IS NULL;
