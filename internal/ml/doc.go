// Package ml holds PAM's embedded models: the features they see, the model
// file format, training (from scratch and incremental, from the user's
// corrections), calibration and inference.
//
// A model is a linear classifier over hashed features: word unigrams and
// bigrams, character n-grams of the first words, and header features
// (sender domain, list headers, Precedence, Auto-Submitted, authentication
// results, HTML, links, attachments, where the user stands among the
// recipients, reply/forward prefixes). Binary tasks (spam, needs_reply) use
// logistic regression, the others (kind, folders) a softmax over the same
// features, both trained with AdaGrad from a fixed seed, so the same data
// gives the same model. Probabilities are calibrated on a held-out part of
// the training data (Platt scaling for binary tasks, temperature scaling for
// the others) and each model carries an "undecided" band.
//
// Features are hashed: a model file holds weights and settings, never text
// from the mail it was trained on. The default models are embedded in the
// binary (see Defaults) and rebuilt with `make models`.
//
// The worker runtime (internal/worker) calls this package on the child side
// of `pam worker`; nothing here does I/O beyond the readers and writers it
// is given.
package ml
