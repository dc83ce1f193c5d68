// Package crdt is the pure merge core of PAM's sync: hybrid logical clock
// stamps, last-writer-wins fields, observed-remove sets, tombstones,
// snapshots and tombstone collection.
//
// A State holds replicated objects keyed by (collection, id). Every change is
// an Op stamped by an HLC; Apply is idempotent and commutative, Merge joins two
// states, and Snapshot/LoadSnapshot compact history into a deterministic,
// versioned byte string. The package does no I/O and knows nothing of the
// network, the store or encryption; doc/design/sync.md describes the rules
// and formats.
package crdt
