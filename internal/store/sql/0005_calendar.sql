-- Calendar: CalDAV accounts, calendars (local and CalDAV collections),
-- calendar objects (one iCalendar resource per UID, raw text kept), an index
-- of their components by (calendar, UID, RECURRENCE-ID), and invitations
-- found in mail. See doc/design/calendar-sync.md.

CREATE TABLE caldav_accounts (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL UNIQUE,
  url        TEXT    NOT NULL,            -- the URL the user gave
  username   TEXT    NOT NULL,
  home_set   TEXT    NOT NULL DEFAULT '', -- calendar-home-set found by discovery
  created_at INTEGER NOT NULL,
  last_sync  INTEGER NOT NULL DEFAULT 0,  -- unix seconds of the last complete sync
  last_error TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE calendars (
  id          INTEGER PRIMARY KEY,
  account     INTEGER REFERENCES caldav_accounts(id) ON DELETE CASCADE, -- NULL: local
  name        TEXT    NOT NULL,
  href        TEXT    NOT NULL DEFAULT '', -- collection URL (absolute) for CalDAV; '' for local
  components  TEXT    NOT NULL DEFAULT '', -- supported components, e.g. "VEVENT,VTODO"
  ctag        TEXT    NOT NULL DEFAULT '',
  sync_token  TEXT    NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX calendars_local_name ON calendars(name) WHERE account IS NULL;
CREATE UNIQUE INDEX calendars_remote ON calendars(account, href) WHERE account IS NOT NULL;

-- cal_objects holds one calendar resource: all components sharing one UID
-- (a master and its RECURRENCE-ID overrides) with the VTIMEZONEs they use,
-- as iCalendar text. raw is what the server (or the .ics file) gave, or
-- what PAM wrote after a local change.
CREATE TABLE cal_objects (
  id          INTEGER PRIMARY KEY,
  calendar    INTEGER NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  uid         TEXT    NOT NULL,
  href        TEXT    NOT NULL DEFAULT '', -- resource URL (absolute); '' until uploaded
  etag        TEXT    NOT NULL DEFAULT '', -- ETag of the server copy raw was last synced with
  raw         BLOB    NOT NULL,
  dirty       INTEGER NOT NULL DEFAULT 0,  -- 1: changed locally since the last sync
  deleted     INTEGER NOT NULL DEFAULT 0,  -- 1: deleted locally, DELETE not yet sent (a tombstone)
  version     INTEGER NOT NULL DEFAULT 1,  -- bumped on every local change (guards clean-marking)
  conflict_of TEXT    NOT NULL DEFAULT '', -- UID this object is a conflict copy of
  updated_at  INTEGER NOT NULL,
  UNIQUE (calendar, uid)
);
CREATE INDEX cal_objects_href ON cal_objects(calendar, href);
CREATE INDEX cal_objects_uid ON cal_objects(uid);

-- cal_components indexes each VEVENT/VTODO of an object, so that queries
-- find candidates without parsing everything. first_start/last_end are unix
-- seconds taken as UTC for floating and all-day values (queries widen their
-- window by a day); last_end is NULL for unbounded recurrences.
CREATE TABLE cal_components (
  object        INTEGER NOT NULL REFERENCES cal_objects(id) ON DELETE CASCADE,
  kind          TEXT    NOT NULL, -- VEVENT, VTODO
  uid           TEXT    NOT NULL,
  recurrence_id TEXT    NOT NULL DEFAULT '', -- as written, '' for the master
  summary       TEXT    NOT NULL DEFAULT '',
  first_start   INTEGER,
  last_end      INTEGER,
  recurring     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (object, kind, recurrence_id)
) WITHOUT ROWID;
CREATE INDEX cal_components_span ON cal_components(first_start, last_end);
CREATE INDEX cal_components_uid ON cal_components(uid);

-- invites records iTIP messages (text/calendar parts with a METHOD) found in
-- mail; they link to calendar objects by UID.
CREATE TABLE invites (
  message       INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  idx           INTEGER NOT NULL, -- which text/calendar part of the message
  method        TEXT    NOT NULL,
  uid           TEXT    NOT NULL,
  recurrence_id TEXT    NOT NULL DEFAULT '',
  sequence      INTEGER NOT NULL DEFAULT 0,
  summary       TEXT    NOT NULL DEFAULT '',
  dtstart       INTEGER,            -- unix seconds (UTC container for floating/all-day)
  raw           BLOB    NOT NULL,   -- the text/calendar part
  PRIMARY KEY (message, idx)
) WITHOUT ROWID;
CREATE INDEX invites_uid ON invites(uid);
