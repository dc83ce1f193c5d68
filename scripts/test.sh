#!/usr/bin/env bash
# The project's test command (make test, .ci/run). It installs the Debian
# packages the integration tests need when they are missing, then vets and
# tests every package. Under CI=true a missing dependency is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
export GOFLAGS="${GOFLAGS:-} -count=1"
echo "== go vet"
go vet ./...
echo "== go test"
go test -timeout 30m ./... 2>&1 | tee /tmp/pam-test.log
