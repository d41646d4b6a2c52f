#!/usr/bin/env bash
# kdc.sh: a throwaway MIT Kerberos KDC on 127.0.0.1 for rafka's GSSAPI tests (Debian's krb5-kdc).
#
# Usage:
#   kdc.sh install                      # apt-get install krb5-kdc krb5-admin-server krb5-user
#   kdc.sh start DIR PORT               # realm RAFKA.TEST; prints DIR/krb5.conf as the last line
#   kdc.sh stop  DIR                    # idempotent
#   kdc.sh addprinc DIR NAME [KEYTAB]   # add principal NAME@RAFKA.TEST (random key); write its keytab
#
# start creates these principals and keytabs in DIR:
#   zookeeper/localhost@RAFKA.TEST  zookeeper.keytab   (the ZooKeeper servers)
#   kafka/localhost@RAFKA.TEST      kafka.keytab       (a broker-like client)
#   rafka@RAFKA.TEST                rafka.keytab       (the operator)
#   stranger@RAFKA.TEST             stranger.keytab    (authenticates, but no ACL names it)
# Everything lives in DIR (database, stash, logs, pid); /etc is not touched. Clients use
# KRB5_CONFIG=DIR/krb5.conf (Java: -Djava.security.krb5.conf=DIR/krb5.conf).
#
# Environment:
#   KDC_OWNER_PID   if set, the KDC is stopped once that pid is gone (as zk.sh's ZKSH_OWNER_PID)
set -euo pipefail

REALM=RAFKA.TEST
KDC_BIN=/usr/sbin/krb5kdc
log() { echo "kdc.sh: $*" >&2; }
die() {
	log "$*"
	exit 1
}
usage() {
	sed -n '/^# Usage:/,/^# Environment:/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
}

cmd_install() {
	if [[ -x $KDC_BIN ]] && command -v kinit >/dev/null; then
		return 0
	fi
	local sudo=()
	if [[ $(id -u) != 0 ]] && command -v sudo >/dev/null; then sudo=(sudo); fi
	log "installing krb5-kdc krb5-admin-server krb5-user"
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq krb5-kdc krb5-admin-server krb5-user >/dev/null
}

# kenv DIR CMD...: run CMD with this KDC's configuration.
kenv() {
	local d=$1
	shift
	KRB5_CONFIG=$d/krb5.conf KRB5_KDC_PROFILE=$d/kdc.conf "$@"
}

cmd_addprinc() { # DIR NAME [KEYTAB]
	(($# == 2 || $# == 3)) || usage
	local d=$1 name=$2 kt=${3:-}
	kenv "$d" /usr/sbin/kadmin.local -q "addprinc -randkey $name@$REALM" >>"$d/kadmin.log" 2>&1 ||
		die "addprinc $name failed: $(tail -n 3 "$d/kadmin.log")"
	if [[ -n $kt ]]; then
		kenv "$d" /usr/sbin/kadmin.local -q "ktadd -k $kt $name@$REALM" >>"$d/kadmin.log" 2>&1 ||
			die "ktadd $name failed: $(tail -n 3 "$d/kadmin.log")"
	fi
}

write_conf() { # DIR PORT
	local d=$1 port=$2
	printf '%s\n' \
		'[libdefaults]' \
		"	default_realm = $REALM" \
		'	dns_lookup_kdc = false' \
		'	dns_lookup_realm = false' \
		'	rdns = false' \
		'	udp_preference_limit = 1' \
		'	default_tkt_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96' \
		'	default_tgs_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96' \
		'	permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96' \
		'[realms]' \
		"	$REALM = {" \
		"		kdc = 127.0.0.1:$port" \
		'	}' \
		'[domain_realm]' \
		"	localhost = $REALM" >"$d/krb5.conf"
	printf '%s\n' \
		'[kdcdefaults]' \
		"	kdc_ports = $port" \
		"	kdc_tcp_ports = $port" \
		'[realms]' \
		"	$REALM = {" \
		"		database_name = $d/principal" \
		"		key_stash_file = $d/stash" \
		"		acl_file = $d/kadm5.acl" \
		'		max_life = 10h 0m 0s' \
		'		supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal' \
		'	}' \
		'[logging]' \
		"	kdc = FILE:$d/kdc.log" >"$d/kdc.conf"
	: >"$d/kadm5.acl"
}

cmd_start() { # DIR PORT
	(($# == 2)) || usage
	[[ $2 =~ ^[0-9]+$ ]] || die "bad port: $2"
	[[ -x $KDC_BIN ]] || die "krb5kdc is missing (run: $0 install)"
	local d port=$2 i
	mkdir -p "$1"
	d=$(cd "$1" && pwd -P)
	if [[ -s $d/pid ]] && kill -0 "$(<"$d/pid")" 2>/dev/null; then
		die "a KDC already runs in $d (pid $(<"$d/pid")); run: $0 stop $d"
	fi
	write_conf "$d" "$port"
	if [[ ! -f $d/principal ]]; then
		kenv "$d" /usr/sbin/kdb5_util create -s -r "$REALM" -P "kdc-master-$RANDOM$RANDOM" >"$d/kdb.log" 2>&1 ||
			die "kdb5_util create failed: $(tail -n 5 "$d/kdb.log")"
		cmd_addprinc "$d" zookeeper/localhost "$d/zookeeper.keytab"
		cmd_addprinc "$d" kafka/localhost "$d/kafka.keytab"
		cmd_addprinc "$d" rafka "$d/rafka.keytab"
		cmd_addprinc "$d" stranger "$d/stranger.keytab"
	fi
	# -n: stay in the foreground, so $! is the KDC; setsid: outlive this script and its signals.
	KRB5_CONFIG=$d/krb5.conf KRB5_KDC_PROFILE=$d/kdc.conf setsid "$KDC_BIN" -n >>"$d/kdc.out" 2>&1 </dev/null &
	echo $! >"$d/pid"
	for ((i = 0; i < 100; i++)); do
		if timeout 1 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$port" 2>/dev/null; then break; fi
		kill -0 "$(<"$d/pid")" 2>/dev/null || die "krb5kdc exited: $(tail -n 5 "$d/kdc.out" "$d/kdc.log" 2>/dev/null)"
		sleep 0.1
	done
	((i < 100)) || die "krb5kdc is not listening on 127.0.0.1:$port"
	if [[ -n ${KDC_OWNER_PID:-} ]]; then
		setsid bash -c 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill "$2" 2>/dev/null' \
			kdc-watchdog "$KDC_OWNER_PID" "$(<"$d/pid")" >/dev/null 2>&1 </dev/null &
	fi
	echo "$d/krb5.conf"
}

cmd_stop() { # DIR
	(($# == 1)) || usage
	[[ -s $1/pid ]] || return 0
	local pid i
	pid=$(<"$1/pid")
	if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q krb5kdc; then
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 30; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$1/pid"
}

(($# >= 1)) || usage
cmd=$1
shift
case $cmd in
install) cmd_install "$@" ;;
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
addprinc) cmd_addprinc "$@" ;;
*) usage ;;
esac
