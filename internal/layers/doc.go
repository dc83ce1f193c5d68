// Package layers holds no code: its test enforces the dependency rules of
// doc/design/overview.md with `go list`.
package layers
