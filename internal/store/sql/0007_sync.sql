-- Sync client state (internal/syncclient). Keys live in files under the
-- data directory (sync/, 0600), not here.
CREATE TABLE sync_meta (
  key   TEXT PRIMARY KEY,   -- relay, account, device, scope, chain_seq, chain_hash, acked_seq, ...
  value BLOB NOT NULL
);
-- The replicated state: a crdt snapshot and the highest HLC stamp issued,
-- saved in the same transaction as the per-device cursors below, so a crash
-- never leaves the state and the cursors apart.
CREATE TABLE sync_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  snapshot      BLOB    NOT NULL,
  clock_wall    INTEGER NOT NULL,
  clock_logical INTEGER NOT NULL
);
-- Local ops not yet sealed into a batch (each a one-op crdt batch).
CREATE TABLE sync_pending (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  op BLOB NOT NULL
);
-- Sealed batches of this device not yet acknowledged by the relay.
CREATE TABLE sync_outbox (
  seq    INTEGER PRIMARY KEY,
  sealed BLOB    NOT NULL
);
-- Per device: the last batch accepted (opened and applied) and its hash.
CREATE TABLE sync_peers (
  device TEXT    PRIMARY KEY,
  seq    INTEGER NOT NULL,
  hash   BLOB    NOT NULL
);
-- Remote ops opened but not applied yet (stamp beyond the clock-drift
-- bound); retried on every pull.
CREATE TABLE sync_held (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  op BLOB NOT NULL
);
