-- Classification (issue 4): the pipeline's results, the user's
-- corrections, and folder moves seen by import.

-- classifications holds the latest result per message. degraded = 1 when
-- the rules tier answered because no model worker could.
CREATE TABLE classifications (
  message      INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  spam         REAL    NOT NULL,
  kind         TEXT    NOT NULL,
  kind_scores  TEXT    NOT NULL DEFAULT '{}', -- JSON object kind -> probability
  needs_reply  REAL    NOT NULL,
  label        TEXT    NOT NULL DEFAULT '',   -- proposed folder ('' without a folders model)
  label_scores TEXT    NOT NULL DEFAULT '{}',
  models       TEXT    NOT NULL DEFAULT '',   -- name@version of each model, space-separated
  undecided    TEXT    NOT NULL DEFAULT '',   -- outputs in the undecided band, space-separated
  degraded     INTEGER NOT NULL DEFAULT 0,
  at           INTEGER NOT NULL               -- unix seconds
);
CREATE INDEX classifications_kind ON classifications(kind, needs_reply DESC);

-- corrections are labels the user gave (source 'user') or folder moves
-- seen through import (source 'move'). task: spam (label spam|ham), kind
-- (one of the kinds), folders (a folder path). applied = 1 once a personal
-- model has learnt it.
CREATE TABLE corrections (
  id      INTEGER PRIMARY KEY,
  message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  task    TEXT    NOT NULL,
  label   TEXT    NOT NULL,
  source  TEXT    NOT NULL DEFAULT 'user',
  at      INTEGER NOT NULL,
  applied INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX corrections_task ON corrections(task, applied);
CREATE INDEX corrections_message ON corrections(message);

-- A label added to a message that was already classified means it showed
-- up in another folder: a move, which teaches the folders model. Labels of
-- sent, draft, spam and trash folders are not filing decisions.
CREATE TRIGGER corrections_folder_move AFTER INSERT ON message_labels
WHEN EXISTS (SELECT 1 FROM classifications WHERE message = NEW.message)
BEGIN
  INSERT INTO corrections (message, task, label, source, at)
  SELECT NEW.message, 'folders', l.name, 'move', CAST(strftime('%s', 'now') AS INTEGER)
  FROM labels l
  WHERE l.id = NEW.label
    AND l.name COLLATE NOCASE NOT IN ('Sent', 'Sent Items', 'Sent Messages', 'Drafts', 'Trash', 'Spam', 'Junk', 'Deleted Items');
END;
