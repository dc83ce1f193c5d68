-- Connected accounts (IMAP, CalDAV) and the IMAP sync state.

-- accounts holds settings only (host, port, user, security, CA file, URL)
-- as JSON; secrets live in the keyring or the 0600 secrets file.
CREATE TABLE accounts (
  name       TEXT    PRIMARY KEY,
  kind       TEXT    NOT NULL,
  settings   TEXT    NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- imap_folders is the cursor of each folder of each IMAP account: what
-- was fetched under which UIDVALIDITY, up to which UIDNEXT and
-- HIGHESTMODSEQ (CONDSTORE).
CREATE TABLE imap_folders (
  account       TEXT    NOT NULL,
  folder        TEXT    NOT NULL,
  uidvalidity   INTEGER NOT NULL,
  uidnext       INTEGER NOT NULL DEFAULT 0,
  highestmodseq INTEGER NOT NULL DEFAULT 0,
  synced_at     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account, folder)
) WITHOUT ROWID;

-- imap_outbox holds local moves, archives and deletes waiting to be
-- applied on the server (flag changes need no queue: the sync compares
-- messages.flags with the flags last seen on the server, sources.flags).
CREATE TABLE imap_outbox (
  id         INTEGER PRIMARY KEY,
  account    TEXT    NOT NULL,
  message    INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  op         TEXT    NOT NULL, -- move, archive, delete
  dest       TEXT    NOT NULL DEFAULT '',
  tries      INTEGER NOT NULL DEFAULT 0,
  error      TEXT    NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX imap_outbox_account ON imap_outbox(account, id);
