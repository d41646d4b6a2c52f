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

# Every decoder has a fuzz test; the seeds ran above as ordinary tests. Here
# each fuzzer also explores briefly (FUZZTIME: a count, default 20000x; a
# duration such as 5s can end in a spurious "context deadline exceeded"
# from the fuzzing engine on a loaded machine).
fuzztime=${FUZZTIME:-20000x}
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "fuzz $pkg $target ($fuzztime)"
		if ! out=$(go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" "$pkg" 2>&1); then
			echo "$out"
			exit 1
		fi
	done
done
