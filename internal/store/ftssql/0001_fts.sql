-- The full-text index: a derived, rebuildable copy of what is searchable
-- in pam.db. indexed holds every message row id in the index, so indexing
-- is idempotent when two processes index the same rows; state('done') is a
-- row id up to which every message of pam.db is known to be indexed.
CREATE VIRTUAL TABLE message_fts USING fts5(
  subject, sender, recipients, body,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE state (
  k TEXT PRIMARY KEY,
  v INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO state (k, v) VALUES ('done', 0);
CREATE TABLE indexed (
  row INTEGER PRIMARY KEY
);
