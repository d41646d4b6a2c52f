#!/usr/bin/env bash
# The demo: starts a throwaway ZooKeeper on loopback, runs rafka against it,
# shows the result and stops the server. Installs ZooKeeper when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin

scripts/zk.sh install
go build -o bin/rafka .

dir=$(mktemp -d)
trap 'scripts/zk.sh stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
for attempt in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 20000))
	if connect=$(scripts/zk.sh start standalone "$dir/zk" "$port" 2>"$dir/start.log" | tail -n 1); then
		break
	fi
	[ "$attempt" = 5 ] && { cat "$dir/start.log" >&2; exit 1; }
	rm -rf "$dir/zk"
done
zk="$connect/kafka-demo"

run() {
	printf '\n\033[1m$ rafka %s\033[0m\n' "$*"
	bin/rafka "$@"
}
echo "ZooKeeper 3.8 is up at $connect; the demo uses the chroot /kafka-demo."
run -z "$zk" init-paths --dry-run
run -z "$zk" init-paths --with-acl-paths
run init-paths -z "$zk" -o json --kafka-version 2.7
