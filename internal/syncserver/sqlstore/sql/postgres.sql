-- pam-relay schema, PostgreSQL. Everything stored is ciphertext or public metadata.
CREATE TABLE IF NOT EXISTS accounts (
  id      TEXT    PRIMARY KEY,
  quota   BIGINT NOT NULL,
  used    BIGINT NOT NULL DEFAULT 0,
  created BIGINT NOT NULL            -- unix ms
);
CREATE TABLE IF NOT EXISTS devices (
  account    TEXT    NOT NULL REFERENCES accounts(id),
  id         TEXT    NOT NULL,
  token_hash BYTEA    NOT NULL UNIQUE, -- SHA-256 of the bearer token
  head       BIGINT NOT NULL DEFAULT 0,
  revoked    BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account, id)
);
CREATE TABLE IF NOT EXISTS batches (
  account TEXT    NOT NULL,
  device  TEXT    NOT NULL,
  seq     BIGINT NOT NULL,
  data    BYTEA    NOT NULL,           -- sealed batch
  PRIMARY KEY (account, device, seq)
);
CREATE TABLE IF NOT EXISTS snapshots (
  account TEXT PRIMARY KEY REFERENCES accounts(id),
  heads   TEXT NOT NULL,              -- JSON: device -> {seq, hash}
  data    BYTEA NOT NULL               -- sealed snapshot
);
CREATE TABLE IF NOT EXISTS blobs (
  account TEXT    NOT NULL REFERENCES accounts(id),
  name    TEXT    NOT NULL,
  rev     BIGINT NOT NULL,
  data    BYTEA    NOT NULL,
  PRIMARY KEY (account, name)
);
CREATE TABLE IF NOT EXISTS invites (
  code    TEXT    PRIMARY KEY,
  account TEXT    NOT NULL REFERENCES accounts(id),
  device  TEXT    NOT NULL,
  blob    BYTEA    NOT NULL,
  expires BIGINT NOT NULL            -- unix ms
);
