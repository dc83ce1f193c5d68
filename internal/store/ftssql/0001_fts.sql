-- The full-text index: a derived, rebuildable copy of what is searchable
-- in pam.db. state('upto') is the highest message row id indexed.
CREATE VIRTUAL TABLE message_fts USING fts5(
  subject, sender, recipients, body,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE state (
  k TEXT PRIMARY KEY,
  v INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO state (k, v) VALUES ('upto', 0);
