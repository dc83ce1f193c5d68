-- imap_drafts holds drafts PAM wrote (a quick reply, an answer to an
-- invitation) waiting to be uploaded (APPEND) to the Drafts folder of the
-- account the original message came from. The user reviews and sends them
-- from their own mail program: PAM sends nothing.
CREATE TABLE imap_drafts (
  id         INTEGER PRIMARY KEY,
  account    TEXT    NOT NULL,
  raw        BLOB    NOT NULL,
  tries      INTEGER NOT NULL DEFAULT 0,
  error      TEXT    NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX imap_drafts_account ON imap_drafts(account, id);
