# PAM — the two commands a new user needs are `make demo` and `make test`.
GO ?= go
BIN := bin

.PHONY: all build demo test test-short race vet fuzz models bench-import bench-classify clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -o $(BIN)/pam ./cmd/pam
	CGO_ENABLED=0 $(GO) build -o $(BIN)/pam-relay ./cmd/pam-relay

# Runs PAM's main job on built-in demo data in a throw-away home.
demo:
	$(GO) run ./cmd/pam demo

# The whole test suite, as CI runs it: installs the servers the tests
# need (Debian packages), then vets and tests every package.
test:
	./scripts/test.sh

test-short:
	$(GO) test -short ./...

# Every package under the race detector (needs cgo and a C compiler; not
# part of CI, whose machine may have only Go). Run it after concurrency work.
race:
	CGO_ENABLED=1 $(GO) test -race -timeout 30m ./...

vet:
	$(GO) vet ./...

# Longer fuzzing of the parsers and safety filters (not part of CI).
fuzz:
	./scripts/fuzz.sh

# Retrains the embedded default models from ../shared/data and the demo
# (deterministic: the same files come out).
models:
	$(GO) run ./internal/ml/cmd/train-defaults
	$(GO) run ./internal/extract/cmd/train-action

bench-import:
	./bench/import.sh

bench-classify:
	./bench/classify/run.sh

clean:
	rm -rf $(BIN)
