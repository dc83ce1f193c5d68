// Package extract finds what a message asks of its reader and what its
// writer promised: action sentences, tasks with due dates, commitments and
// waiting-on items, and the later messages of a thread that complete or
// move them.
//
// The package is pure: it works on text and times the caller supplies and
// touches no store, file or network. The action-sentence detector is a
// logistic regression over hashed word n-grams and cue features (modal
// verbs, "could you", "please", question marks, second person, an
// imperative first verb, deadline phrases found by internal/when); its
// default weights are embedded (action.model), written by
//
//	go run ./internal/extract/cmd/train-action
//
// from ../shared/data/email-intent/train.tsv. Callers that run the model
// elsewhere (a pam worker process) pass their own Scorer.
package extract
