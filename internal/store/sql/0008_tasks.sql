-- Tasks (issue 5): the user's to-dos and what they wait for, typed in or
-- extracted from mail, linked to their messages; VTODO-compatible.
CREATE TABLE tasks (
  id              INTEGER PRIMARY KEY,
  uid             TEXT    NOT NULL UNIQUE,        -- stable id, the VTODO UID
  title           TEXT    NOT NULL,
  notes           TEXT    NOT NULL DEFAULT '',
  kind            TEXT    NOT NULL DEFAULT 'todo', -- todo | waiting
  status          TEXT    NOT NULL DEFAULT 'open', -- open | done
  due             INTEGER,                         -- unix seconds; NULL: none
  due_text        TEXT    NOT NULL DEFAULT '',
  snoozed_until   INTEGER,                         -- hidden from lists until then
  requester       TEXT    NOT NULL DEFAULT '',     -- display name
  requester_email TEXT    NOT NULL DEFAULT '',
  owner           TEXT    NOT NULL DEFAULT '',     -- who has to act (waiting: the other side)
  owner_email     TEXT    NOT NULL DEFAULT '',
  confidence      REAL    NOT NULL DEFAULT 1,
  origin          TEXT    NOT NULL DEFAULT 'user', -- user | mail | caldav
  message         INTEGER REFERENCES messages(id) ON DELETE SET NULL, -- first source
  thread          INTEGER,
  mail_key        TEXT UNIQUE,                     -- extracted tasks: thread + first source + title
  edited          INTEGER NOT NULL DEFAULT 0,      -- the user changed title or due: mail leaves them alone
  created         INTEGER NOT NULL,
  updated         INTEGER NOT NULL,
  completed       INTEGER,
  sequence        INTEGER NOT NULL DEFAULT 0       -- VTODO SEQUENCE, bumped by each change
);
CREATE INDEX tasks_status_due ON tasks(status, due);
CREATE INDEX tasks_thread ON tasks(thread);

-- task_messages links a task to every message that asked, promised,
-- moved or completed it.
CREATE TABLE task_messages (
  task    INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  role    TEXT    NOT NULL, -- source | moved | closed
  PRIMARY KEY (task, message, role)
) WITHOUT ROWID;
CREATE INDEX task_messages_message ON task_messages(message);

-- extracted remembers the messages whose thread has been through task
-- extraction.
CREATE TABLE extracted (
  message INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  at      INTEGER NOT NULL
);
