-- pam-relay schema, SQLite. Everything stored is ciphertext or public metadata.
CREATE TABLE IF NOT EXISTS accounts (
  id      TEXT    PRIMARY KEY,
  quota   INTEGER NOT NULL,
  used    INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL            -- unix ms
);
CREATE TABLE IF NOT EXISTS devices (
  account    TEXT    NOT NULL REFERENCES accounts(id),
  id         TEXT    NOT NULL,
  token_hash BLOB    NOT NULL UNIQUE, -- SHA-256 of the bearer token
  head       INTEGER NOT NULL DEFAULT 0,
  revoked    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account, id)
);
CREATE TABLE IF NOT EXISTS batches (
  account TEXT    NOT NULL,
  device  TEXT    NOT NULL,
  seq     INTEGER NOT NULL,
  data    BLOB    NOT NULL,           -- sealed batch
  PRIMARY KEY (account, device, seq)
);
CREATE TABLE IF NOT EXISTS snapshots (
  account TEXT PRIMARY KEY REFERENCES accounts(id),
  heads   TEXT NOT NULL,              -- JSON: device -> {seq, hash}
  data    BLOB NOT NULL               -- sealed snapshot
);
CREATE TABLE IF NOT EXISTS blobs (
  account TEXT    NOT NULL REFERENCES accounts(id),
  name    TEXT    NOT NULL,
  rev     INTEGER NOT NULL,
  data    BLOB    NOT NULL,
  PRIMARY KEY (account, name)
);
CREATE TABLE IF NOT EXISTS invites (
  code    TEXT    PRIMARY KEY,
  account TEXT    NOT NULL REFERENCES accounts(id),
  device  TEXT    NOT NULL,
  blob    BLOB    NOT NULL,
  expires INTEGER NOT NULL            -- unix ms
);
