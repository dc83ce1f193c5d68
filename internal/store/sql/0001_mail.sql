-- Mail: messages, threads, addresses, labels, raw bodies, search index.
CREATE TABLE threads (
  id          INTEGER PRIMARY KEY,
  subject     TEXT    NOT NULL DEFAULT '',
  subject_key TEXT    NOT NULL DEFAULT '',
  last_date   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX threads_subject_key ON threads(subject_key);
CREATE INDEX threads_last_date ON threads(last_date DESC);

CREATE TABLE messages (
  id             INTEGER PRIMARY KEY,
  pid            TEXT    NOT NULL UNIQUE,  -- stable id (Message-ID + content digest)
  message_id     TEXT    NOT NULL DEFAULT '',
  digest         BLOB    NOT NULL,
  thread_id      INTEGER NOT NULL REFERENCES threads(id),
  date           INTEGER NOT NULL DEFAULT 0, -- unix seconds, UTC; 0 = unknown
  subject        TEXT    NOT NULL DEFAULT '',
  from_name      TEXT    NOT NULL DEFAULT '',
  from_email     TEXT    NOT NULL DEFAULT '',
  recipients     TEXT    NOT NULL DEFAULT '', -- display form of To and Cc
  flags          INTEGER NOT NULL DEFAULT 0,
  has_attachment INTEGER NOT NULL DEFAULT 0,
  size           INTEGER NOT NULL DEFAULT 0,
  snippet        TEXT    NOT NULL DEFAULT '',
  problems       TEXT    NOT NULL DEFAULT '',
  added_at       INTEGER NOT NULL
);
CREATE INDEX messages_date ON messages(date DESC);
CREATE INDEX messages_thread ON messages(thread_id, date);
CREATE INDEX messages_message_id ON messages(message_id);

-- raw keeps the message as received, compressed (codec 1 = DEFLATE).
CREATE TABLE raw (
  message INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  codec   INTEGER NOT NULL,
  data    BLOB    NOT NULL
);

-- thread_refs maps every Message-ID seen (as a message or in References)
-- to its thread, so a parent arriving after its reply joins the thread.
CREATE TABLE thread_refs (
  msgid     TEXT    PRIMARY KEY,
  thread_id INTEGER NOT NULL REFERENCES threads(id)
) WITHOUT ROWID;

CREATE TABLE labels (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE message_labels (
  message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  label   INTEGER NOT NULL REFERENCES labels(id),
  PRIMARY KEY (message, label)
) WITHOUT ROWID;
CREATE INDEX message_labels_label ON message_labels(label, message);

CREATE TABLE addresses (
  id    INTEGER PRIMARY KEY,
  email TEXT    NOT NULL UNIQUE,
  name  TEXT    NOT NULL DEFAULT ''
);
-- role: 1 from, 2 to, 3 cc, 4 bcc, 5 reply-to
CREATE TABLE message_addresses (
  message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  role    INTEGER NOT NULL,
  address INTEGER NOT NULL REFERENCES addresses(id),
  PRIMARY KEY (message, role, address)
) WITHOUT ROWID;
CREATE INDEX message_addresses_address ON message_addresses(address);

CREATE TABLE attachments (
  message      INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  idx          INTEGER NOT NULL,
  filename     TEXT    NOT NULL DEFAULT '',
  content_type TEXT    NOT NULL DEFAULT '',
  size         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (message, idx)
) WITHOUT ROWID;

-- sources remembers where each message came from (a Maildir file's unique
-- name, an mbox offset, an IMAP UID) so a re-run skips it without parsing.
CREATE TABLE sources (
  key     TEXT    PRIMARY KEY,
  message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  flags   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX sources_message ON sources(message);

-- import_failures records input that could not be read as a message.
CREATE TABLE import_failures (
  key   TEXT    PRIMARY KEY,
  error TEXT    NOT NULL,
  at    INTEGER NOT NULL
) WITHOUT ROWID;

-- pending is the pipeline's queue: messages not yet processed by the AI
-- pipeline. Ingestion inserts; the pipeline deletes when done.
CREATE TABLE pending (
  message INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE
);

-- The full-text index lives in its own database file (search.db), written
-- by its own connection in parallel with this one; see fts.go.
