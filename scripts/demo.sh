#!/usr/bin/env bash
# The demo: starts a throwaway ZooKeeper on loopback, loads the sample Kafka
# cluster shipped in testdata/demo (a few brokers, healthy and unhealthy
# partitions, configs, ACLs, /feature), shows it with rafka, and stops the
# server. Installs ZooKeeper when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin

scripts/zk.sh install
go build -o bin/rafka .

dir=$(mktemp -d)
trap 'scripts/zk.sh stop "$dir/zk" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
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
	bin/rafka "$@" || printf '(exit code %d)\n' "$?"
}
echo "ZooKeeper 3.8 is up at $connect; the demo cluster goes under the chroot /kafka-demo."
run -z "$zk" snapshot load testdata/demo/cluster.snapshot.gz --backup "$dir/load-backup.snap"
run -z "$zk" dump
run -z "$zk" dump --problems --section topics
run -z "$zk" init-paths --dry-run
run -z "$zk" check --limit 3
cat <<'EOF'

check's exit code is its verdict, the same in table and JSON output:
  0  no finding at or above --fail-on (default: error)
  1  findings at or above --fail-on: the demo cluster has offline partitions, so 1 here
  2  usage or configuration error      3  ZooKeeper unreachable, timed out or failing
  4  not authorized                    5  some znodes could not be read: the verdict is partial
  6  the tree changed under a write (a conditioned write aborted)
  7  no Kafka tree at that chroot (it names chroots that hold one)
  70 a bug in rafka   74 output not written   130 interrupted   143 terminated (SIGTERM)
In CI:  rafka check --fail-on warning -o json > report.json; status=$?
EOF
run -z "$zk" repair --rule pending-reassignment --remove-throttles
