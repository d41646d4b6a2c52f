#!/usr/bin/env bash
# Runs rafka's whole test suite on this machine, installing what it needs
# first (Debian's zookeeper package, used by the integration tests).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin

scripts/zk.sh install

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change: $unformatted" >&2
	exit 1
fi
go vet ./...
go test -count=1 -timeout 30m "$@" ./...
