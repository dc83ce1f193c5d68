# PAM — the two commands a new user needs are `make demo` and `make test`.
GO ?= go
BIN := bin

.PHONY: all build demo test test-short vet fuzz bench-import clean

all: build

build:
	$(GO) build -o $(BIN)/pam ./cmd/pam

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

bench-import: build
	./bench/import.sh

clean:
	rm -rf $(BIN)
