-- The index of sessions (the SessionDO objects hold the data) and who may use each one.
-- Activity columns are refreshed from each object's alarm, coalesced, never once per message.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_message_at INTEGER,
  last_activity_at INTEGER NOT NULL,
  message_count INTEGER NOT NULL DEFAULT 0,
  open_task_count INTEGER NOT NULL DEFAULT 0,
  index_version INTEGER NOT NULL DEFAULT 0,  -- the object's change counter at the last flush
  deleted_at INTEGER                         -- set before the object is erased; the row goes last
);

CREATE TABLE session_members (
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, user_id)
);
-- "My sessions, most recent activity first": members (owner included) joined to the index.
CREATE INDEX session_members_by_user ON session_members (user_id, session_id);
CREATE INDEX sessions_by_activity ON sessions (last_activity_at DESC, id DESC);
