# PAM — the two commands a new user needs are `make demo` and `make test`.
GO ?= go
BIN := bin

.PHONY: all build demo test test-short vet fuzz models bench-import bench-classify clean

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
