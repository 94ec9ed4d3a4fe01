-- API keys are listed newest first and paginated on (created_at, id): the index carries the id so
-- a page is read in order from the index, with no sort.
DROP INDEX credentials_by_user_kind;
CREATE INDEX credentials_by_user_kind ON credentials (user_id, kind, created_at, id);
