#!/usr/bin/env bash
# zk.sh: throwaway ZooKeeper 3.8 servers on 127.0.0.1 for rafka's tests and for local development.
#
# It uses Debian's zookeeper package (/usr/share/java/zookeeper.jar) and starts QuorumPeerMain with
# `java -cp` directly (zkServer.sh cannot add the jars that Netty/TLS and logging need).
# internal/zktest drives this same script, so the tests and a developer's shell share one recipe.
#
# Usage:
#   zk.sh install
#   zk.sh start standalone DIR PORT [digest]
#   zk.sh start ensemble   DIR PORT1 PORT2 PORT3 QP1 QP2 QP3 EP1 EP2 EP3
#   zk.sh start tls        DIR PORT SECUREPORT want|need
#   zk.sh start sasl       DIR PORT               # DIGEST-MD5 users super, kafka, rafka (see sasl_server_jaas)
#   zk.sh start kerberos   DIR PORT KDCDIR        # GSSAPI with KDCDIR from scripts/kdc.sh start
#   zk.sh start ensemble   DIR PORT1 PORT2 PORT3 QP1 QP2 QP3 EP1 EP2 EP3 sasl   # the same, with DIGEST-MD5
#   zk.sh start-member     DIR N        # restart member N of DIR (ensemble: 1..3; standalone/tls: 1)
#   zk.sh kill-member      DIR N        # SIGKILL member N
#   zk.sh stop             DIR          # TERM (KILL after 3 s) every server under DIR; idempotent
#   zk.sh status           DIR          # print "N pid port mode" per member
#
# `start` prints the client connect string as the LAST line of stdout; progress and errors go to
# stderr. Exit status 3 means a port was already in use (pick other ports and try again).
#
# Environment:
#   ZK_JAVA_DIR        where the jars are (default /usr/share/java)
#   ZK_READY_TIMEOUT   seconds to wait for readiness (default 30)
#   ZK_HEAP            the servers' JVM heap, -Xmx (default 256m; a 230 000-znode tree wants 1g)
#   ZKSH_OWNER_PID     if set, every JVM gets a watchdog that kills it once that pid is gone
#                      (internal/zktest sets it to the test binary's pid so a killed test leaks no JVM)
set -euo pipefail

JAVA_DIR=${ZK_JAVA_DIR:-/usr/share/java}
ZK_JAR=$JAVA_DIR/zookeeper.jar
ZK_CP="$ZK_JAR:$JAVA_DIR/slf4j-simple.jar:$JAVA_DIR/netty-codec.jar:$JAVA_DIR/netty-resolver.jar:$JAVA_DIR/netty-transport-native-unix-common.jar"
READY_TIMEOUT=${ZK_READY_TIMEOUT:-30}
HEAP=${ZK_HEAP:-256m}
SUPER_DIGEST='super:D/InIHSb7yEEbrWz8b9l71RjZJU=' # super:test
PASS=changeit
EXIT_PORT_IN_USE=3

log() { echo "zk.sh: $*" >&2; }
die() {
	log "$*"
	exit 1
}
usage() {
	sed -n '/^# Usage:/,/^# Environment:/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
}

is_port() { [[ $1 =~ ^[0-9]+$ ]] && (($1 > 0 && $1 < 65536)); }

# flw PORT CMD: send a ZooKeeper four-letter word to 127.0.0.1:PORT, print the reply ("" on error).
flw() {
	timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf %s "$2" >&3 && cat <&3' _ "$1" "$2" 2>/dev/null || true
}

# port_busy PORT: true if something accepts connections on 127.0.0.1:PORT.
port_busy() { timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null; }

check_ports_free() {
	local p
	for p in "$@"; do
		if port_busy "$p"; then
			log "port 127.0.0.1:$p is already in use"
			exit "$EXIT_PORT_IN_USE"
		fi
	done
}

need_jar() {
	[[ -f $ZK_JAR ]] || die "$ZK_JAR is missing (run: $0 install)"
	command -v java >/dev/null || die "java is missing (run: $0 install)"
}

# alive PID: true while any thread of PID runs. A zombie counts as gone (our JVMs are re-parented
# to PID 1, which may take a while to reap them), but only once every thread has exited: the
# leader turns zombie before the other threads have released the sockets.
alive() {
	local f key st _
	for f in /proc/"$1"/task/*/status; do
		while read -r key st _; do
			if [[ $key == State: ]]; then
				[[ $st != Z && $st != X ]] && return 0
				break
			fi
		done 2>/dev/null <"$f" || true
	done
	return 1
}

abs_dir() { mkdir -p "$1" && (cd "$1" && pwd -P); }

# member_dir DIR N: the directory of member N (DIR/N for an ensemble, DIR itself for a single server).
member_dir() {
	if [[ -f $1/$2/zoo.cfg ]]; then
		echo "$1/$2"
	elif [[ $2 == 1 && -f $1/zoo.cfg ]]; then
		echo "$1"
	else
		die "no member $2 in $1 (no $1/$2/zoo.cfg)"
	fi
}

cfg_get() { sed -n "s/^$2=//p" "$1/zoo.cfg" | tail -n1; }

# live_pid MDIR: print the pid of MDIR's server if it is running (and really is that server).
live_pid() {
	local pid
	[[ -s $1/pid ]] || return 1
	pid=$(<"$1/pid")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	alive "$pid" || return 1
	# Guard against a recycled pid: the command line must name this member's zoo.cfg.
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$1/zoo.cfg" || return 1
	echo "$pid"
}

# Members launched by this invocation; if it fails, they are stopped again (see the EXIT trap).
LAUNCHED=()
cleanup_on_failure() {
	local rc=$? d
	if ((rc != 0 && ${#LAUNCHED[@]} > 0)); then
		for d in "${LAUNCHED[@]}"; do cmd_stop "$d" || true; done
	fi
	return "$rc"
}
trap cleanup_on_failure EXIT

# launch MDIR: start the JVM for MDIR/zoo.cfg in its own session; pid goes to MDIR/pid.
launch() {
	local d=$1 pid i
	local pidfile=$d/pid
	[[ $HEAP =~ ^[0-9]+[kKmMgG]?$ ]] || die "bad ZK_HEAP: $HEAP (want e.g. 256m or 1g)"
	if pid=$(live_pid "$d"); then
		die "a server is already running in $d (pid $pid); run: $0 stop $d"
	fi
	rm -f "$pidfile"
	: >"$d/server.log"
	# JVM options a mode needs (the JAAS file, krb5.conf), one per line.
	local jvmflags=()
	if [[ -f $d/jvm.flags ]]; then mapfile -t jvmflags <"$d/jvm.flags"; fi
	# setsid: own session and process group, so the JVM survives this script and a Ctrl-C or a
	# killed test binary is not delivered to it. The inner bash writes its pid, then execs java.
	ZKSH_PIDFILE=$pidfile setsid bash -c 'echo $$ >"$ZKSH_PIDFILE"; exec "$@"' zk-launch \
		java -Xms32m "-Xmx$HEAP" -XX:+UseSerialGC "${jvmflags[@]}" -cp "$ZK_CP" \
		-Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
		org.apache.zookeeper.server.quorum.QuorumPeerMain "$d/zoo.cfg" \
		>>"$d/server.log" 2>&1 </dev/null &
	for ((i = 0; i < 100; i++)); do
		[[ -s $pidfile ]] && break
		sleep 0.02
	done
	[[ -s $pidfile ]] || die "could not start java for $d"
	pid=$(<"$pidfile")
	LAUNCHED+=("$d")
	if [[ -n ${ZKSH_OWNER_PID:-} ]]; then
		# Watchdog: if the owner (a test binary) dies without stopping us, stop the JVM.
		# It ends by itself within a second of the JVM going away.
		setsid bash -c '
			up() {
				local f key st _
				for f in /proc/"$1"/task/*/status; do
					while read -r key st _; do
						if [[ $key == State: ]]; then
							[[ $st != Z && $st != X ]] && return 0
							break
						fi
					done 2>/dev/null <"$f" || true
				done
				return 1
			}
			owner=$1 pid=$2
			while up "$pid"; do
				if ! up "$owner"; then
					kill -TERM "$pid" 2>/dev/null
					for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
						up "$pid" || exit 0
						sleep 0.2
					done
					kill -KILL "$pid" 2>/dev/null
					exit 0
				fi
				sleep 1
			done' zk-watchdog "$ZKSH_OWNER_PID" "$pid" >/dev/null 2>&1 </dev/null &
	fi
}

fail_start() { # MDIR MSG
	log "$2"
	log "last lines of $1/server.log:"
	tail -n 40 "$1/server.log" >&2 || true
	if grep -q 'Address already in use' "$1/server.log" 2>/dev/null; then
		exit "$EXIT_PORT_IN_USE"
	fi
	exit 1
}

# still_live MDIR: live_pid, asked three times 0.2 s apart before saying no. While the launcher
# execs java, /proc/PID/cmdline can read empty for a moment; on a loaded machine a single look
# sometimes landed there and called a healthy start dead (with an empty server.log).
still_live() {
	local i
	for i in 1 2 3; do
		live_pid "$1" >/dev/null && return 0
		((i < 3)) && sleep 0.2
	done
	return 1
}

# wait_ready MDIR PORT WANT: WANT is "any" (imok + a Mode line), "quorum" (Mode leader|follower)
# or "imok" (only ruok; for a lone ensemble member that cannot form a quorum yet).
wait_ready() {
	local d=$1 port=$2 want=$3 deadline=$((SECONDS + READY_TIMEOUT)) srvr
	while :; do
		if ! still_live "$d"; then
			fail_start "$d" "server in $d exited during startup"
		fi
		if [[ $(flw "$port" ruok) == imok ]]; then
			[[ $want == imok ]] && return 0
			srvr=$(flw "$port" srvr)
			case $want in
			any) grep -q '^Mode: ' <<<"$srvr" && return 0 ;;
			quorum) grep -Eq '^Mode: (leader|follower)' <<<"$srvr" && return 0 ;;
			esac
		fi
		if ((SECONDS >= deadline)); then
			fail_start "$d" "server in $d not ready on 127.0.0.1:$port after ${READY_TIMEOUT}s"
		fi
		sleep 0.2
	done
}

# Every server uses the Netty connection factory. With the default NIO factory, ZooKeeper 3.8.0 has
# a startup race: a client that connects after the port opens but before the database is loaded
# hits an NPE in ZooKeeperServer.removeCnxn, and its socket is never closed nor answered (go-zk then
# waits 10x its read timeout, ~33 s for a 5 s session). Restarting a standalone server while a
# client reconnects hit it about one time in five; with Netty it never happened.
common_cfg() { # MDIR CLIENTPORT
	cat <<EOF
serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory
tickTime=500
dataDir=$1/data
clientPort=$2
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=*
maxClientCnxns=0
forceSync=no
EOF
}

cmd_install() {
	local pkgs=() sudo=()
	[[ -f $ZK_JAR ]] || pkgs+=(zookeeper)
	command -v openssl >/dev/null || pkgs+=(openssl)
	# The conformance corpus runs the libraries Kafka relies on (Jackson, the
	# ZooKeeper client's path check) through a Java source-file probe.
	[[ -f $JAVA_DIR/jackson-databind.jar ]] || pkgs+=(libjackson2-databind-java)
	command -v javac >/dev/null || pkgs+=(default-jdk-headless)
	# GSSAPI tests run a real MIT KDC (scripts/kdc.sh).
	[[ -x /usr/sbin/krb5kdc ]] || pkgs+=(krb5-kdc krb5-admin-server)
	command -v kinit >/dev/null || pkgs+=(krb5-user)
	((${#pkgs[@]})) || return 0
	if [[ $(id -u) != 0 ]] && command -v sudo >/dev/null; then
		sudo=(sudo)
	fi
	log "installing ${pkgs[*]}"
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
}

start_standalone() { # DIR PORT [digest]
	(($# == 2 || $# == 3)) || usage
	is_port "$2" || die "bad port: $2"
	[[ $# == 2 || $3 == digest ]] || die "unknown option: $3 (want: digest)"
	need_jar
	local d port=$2
	d=$(abs_dir "$1")
	mkdir -p "$d/data"
	{
		common_cfg "$d" "$port"
		if [[ ${3:-} == digest ]]; then
			echo "DigestAuthenticationProvider.superDigest=$SUPER_DIGEST"
		fi
	} >"$d/zoo.cfg"
	check_ports_free "$port"
	launch "$d"
	wait_ready "$d" "$port" any
	echo "127.0.0.1:$port"
}

start_ensemble() { # DIR P1 P2 P3 QP1 QP2 QP3 EP1 EP2 EP3 [sasl]
	(($# == 10 || $# == 11)) || usage
	local d p i sasl=${11:-}
	[[ -z $sasl || $sasl == sasl ]] || die "unknown option: $sasl (want: sasl)"
	set -- "${@:1:10}"
	for p in "${@:2}"; do is_port "$p" || die "bad port: $p"; done
	need_jar
	d=$(abs_dir "$1")
	local ports=("$2" "$3" "$4") qps=("$5" "$6" "$7") eps=("$8" "$9" "${10}")
	check_ports_free "${@:2}"
	for i in 1 2 3; do
		mkdir -p "$d/$i/data"
		echo "$i" >"$d/$i/data/myid"
		{
			common_cfg "$d/$i" "${ports[i - 1]}"
			cat <<EOF
initLimit=10
syncLimit=5
standaloneEnabled=false
reconfigEnabled=false
server.1=127.0.0.1:${qps[0]}:${eps[0]}
server.2=127.0.0.1:${qps[1]}:${eps[1]}
server.3=127.0.0.1:${qps[2]}:${eps[2]}
EOF
			if [[ -n $sasl ]]; then sasl_cfg; fi
		} >"$d/$i/zoo.cfg"
		if [[ -n $sasl ]]; then sasl_server_jaas "$d/$i"; fi
	done
	for i in 1 2 3; do launch "$d/$i"; done
	for i in 1 2 3; do wait_ready "$d/$i" "${ports[i - 1]}" quorum; done
	echo "127.0.0.1:${ports[0]},127.0.0.1:${ports[1]},127.0.0.1:${ports[2]}"
}

gen_certs() { # CERTDIR
	local c=$1
	[[ -f $c/.complete ]] && return 0
	command -v openssl >/dev/null || die "openssl is missing (run: $0 install)"
	command -v keytool >/dev/null || die "keytool is missing (it comes with Java)"
	rm -rf "$c"
	mkdir -p "$c"
	log "generating test certificates in $c"
	(
		cd "$c"
		exec >/dev/null 2>gen.log
		set -x
		# Keys are unencrypted PKCS#8 PEM. The client key is RSA (what most tooling expects); the CA
		# and server keys are EC P-256 because RSA key generation takes up to a second each here.
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca-key.pem
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server-key.pem
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client-key.pem
		openssl req -x509 -key ca-key.pem -sha256 -days 3650 -subj /CN=rafka-test-ca \
			-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out ca.pem
		printf '%s\n' basicConstraints=CA:FALSE keyUsage=critical,digitalSignature \
			extendedKeyUsage=serverAuth,clientAuth subjectAltName=IP:127.0.0.1,DNS:localhost >server.ext
		printf '%s\n' basicConstraints=CA:FALSE keyUsage=critical,digitalSignature,keyEncipherment \
			extendedKeyUsage=clientAuth >client.ext
		for who in server client; do
			if [[ $who == server ]]; then subj=/CN=localhost; else subj=/CN=rafka-client; fi
			openssl req -new -key "$who-key.pem" -subj "$subj" -out "$who.csr"
			openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca-key.pem -set_serial "0x$(openssl rand -hex 8)" \
				-days 3650 -sha256 -extfile "$who.ext" -out "$who.pem"
			openssl pkcs12 -export -in "$who.pem" -inkey "$who-key.pem" -name "$who" \
				-out "$who.p12" -passout "pass:$PASS"
		done
		cat client-key.pem client.pem >client-bundle.pem
		# keytool is a JVM each (~0.4 s); in parallel on two cores they were slower, not faster.
		kt() { keytool -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC "$@"; }
		kt -importkeystore -noprompt -srckeystore client.p12 -srcstoretype PKCS12 -srcstorepass "$PASS" \
			-destkeystore client.jks -deststoretype JKS -deststorepass "$PASS" -destkeypass "$PASS"
		kt -importcert -noprompt -alias ca -file ca.pem -keystore trust.p12 -storetype PKCS12 -storepass "$PASS"
		kt -importcert -noprompt -alias ca -file ca.pem -keystore trust.jks -storetype JKS -storepass "$PASS"
		rm -f ./*.csr ./*.ext
	) || {
		tail -n 20 "$c/gen.log" >&2
		die "certificate generation failed"
	}
	rm -f "$c/gen.log"
	touch "$c/.complete"
}

start_tls() { # DIR PORT SECUREPORT want|need
	(($# == 4)) || usage
	is_port "$2" || die "bad port: $2"
	is_port "$3" || die "bad port: $3"
	[[ $4 == want || $4 == need ]] || die "client auth must be want or need, not $4"
	need_jar
	local d port=$2 sport=$3 auth=$4 deadline
	d=$(abs_dir "$1")
	mkdir -p "$d/data"
	gen_certs "$d/certs"
	{
		common_cfg "$d" "$port"
		cat <<EOF
secureClientPort=$sport
secureClientPortAddress=127.0.0.1
ssl.keyStore.location=$d/certs/server.p12
ssl.keyStore.password=$PASS
ssl.keyStore.type=PKCS12
ssl.trustStore.location=$d/certs/trust.p12
ssl.trustStore.password=$PASS
ssl.trustStore.type=PKCS12
ssl.clientAuth=$auth
authProvider.x509=org.apache.zookeeper.server.auth.X509AuthenticationProvider
EOF
	} >"$d/zoo.cfg"
	check_ports_free "$port" "$sport"
	launch "$d"
	wait_ready "$d" "$port" any
	tls_wait "$d" "$sport"
	echo "127.0.0.1:$sport"
}

# tls_wait MDIR SECUREPORT: wait until the secure port completes a verified TLS handshake.
tls_wait() {
	local d=$1 sport=$2 c=$1/certs deadline=$((SECONDS + READY_TIMEOUT))
	until timeout 5 openssl s_client -connect "127.0.0.1:$sport" -CAfile "$c/ca.pem" \
		-cert "$c/client.pem" -key "$c/client-key.pem" -verify_return_error -verify_ip 127.0.0.1 \
		</dev/null >/dev/null 2>&1; do
		still_live "$d" || fail_start "$d" "server in $d exited during startup"
		((SECONDS < deadline)) || fail_start "$d" "no TLS handshake on 127.0.0.1:$sport after ${READY_TIMEOUT}s"
		sleep 0.2
	done
}

# SASL servers: SASLAuthenticationProvider makes sasl:<id> ACLs work. SASL is not required of every
# client (as in most Kafka estates, where zookeeper.set.acl protects the znodes), so an
# unauthenticated session reads what the ACLs allow and a SASL session more.
sasl_cfg() {
	echo "authProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider"
	echo "DigestAuthenticationProvider.superDigest=$SUPER_DIGEST"
}

# sasl_server_jaas MDIR: the JAAS Server section with DIGEST-MD5 users (test passwords only).
sasl_server_jaas() {
	printf '%s\n' 'Server {' \
		'    org.apache.zookeeper.server.auth.DigestLoginModule required' \
		'    user_super="super-secret"' \
		'    user_kafka="kafka-secret"' \
		'    user_rafka="rafka-secret";' \
		'};' >"$1/jaas.conf"
	echo "-Djava.security.auth.login.config=$1/jaas.conf" >"$1/jvm.flags"
}

start_sasl() { # DIR PORT
	(($# == 2)) || usage
	is_port "$2" || die "bad port: $2"
	need_jar
	local d port=$2
	d=$(abs_dir "$1")
	mkdir -p "$d/data"
	{
		common_cfg "$d" "$port"
		sasl_cfg
	} >"$d/zoo.cfg"
	sasl_server_jaas "$d"
	check_ports_free "$port"
	launch "$d"
	wait_ready "$d" "$port" any
	echo "127.0.0.1:$port"
}

# start_kerberos DIR PORT KDCDIR: GSSAPI as zookeeper/localhost@RAFKA.TEST. Host and realm are
# removed from client principals, as Kafka's documentation advises, so kafka/localhost@RAFKA.TEST
# is sasl:kafka. Clients must connect to "localhost" (the host in the server's principal).
start_kerberos() {
	(($# == 3)) || usage
	is_port "$2" || die "bad port: $2"
	need_jar
	local d port=$2 kdc
	d=$(abs_dir "$1")
	kdc=$(cd "$3" && pwd -P)
	[[ -f $kdc/zookeeper.keytab ]] || die "no $kdc/zookeeper.keytab (run: scripts/kdc.sh start $kdc PORT)"
	mkdir -p "$d/data"
	{
		common_cfg "$d" "$port"
		sasl_cfg
		echo "kerberos.removeHostFromPrincipal=true"
		echo "kerberos.removeRealmFromPrincipal=true"
	} >"$d/zoo.cfg"
	printf '%s\n' 'Server {' \
		'    com.sun.security.auth.module.Krb5LoginModule required' \
		'    useKeyTab=true' \
		"    keyTab=\"$kdc/zookeeper.keytab\"" \
		'    storeKey=true' \
		'    useTicketCache=false' \
		'    principal="zookeeper/localhost@RAFKA.TEST";' \
		'};' >"$d/jaas.conf"
	printf '%s\n' "-Djava.security.auth.login.config=$d/jaas.conf" "-Djava.security.krb5.conf=$kdc/krb5.conf" >"$d/jvm.flags"
	check_ports_free "$port"
	launch "$d"
	wait_ready "$d" "$port" any
	echo "localhost:$port"
}

cmd_start() {
	(($# >= 1)) || usage
	local kind=$1
	shift
	case $kind in
	standalone) start_standalone "$@" ;;
	ensemble) start_ensemble "$@" ;;
	tls) start_tls "$@" ;;
	sasl) start_sasl "$@" ;;
	kerberos) start_kerberos "$@" ;;
	*) usage ;;
	esac
}

# live members of DIR other than N
other_live() {
	local d=$1 n=$2 i count=0
	for i in 1 2 3 4 5 6 7 8 9; do
		[[ $i == "$n" || ! -f $d/$i/zoo.cfg ]] && continue
		live_pid "$d/$i" >/dev/null && count=$((count + 1))
	done
	echo "$count"
}

cmd_start_member() { # DIR N
	(($# == 2)) || usage
	need_jar
	local d md port sport want=any
	d=$(abs_dir "$1")
	md=$(member_dir "$d" "$2")
	port=$(cfg_get "$md" clientPort)
	launch "$md"
	if [[ $md != "$d" ]]; then
		# Ensemble member: wait for it to rejoin the quorum, unless no peer is up to form one with.
		if (($(other_live "$d" "$2") >= 1)); then want=quorum; else want=imok; fi
	fi
	wait_ready "$md" "$port" "$want"
	sport=$(cfg_get "$md" secureClientPort)
	if [[ -n $sport ]]; then
		tls_wait "$md" "$sport"
		echo "127.0.0.1:$sport"
	else
		echo "127.0.0.1:$port"
	fi
}

# stop_pids PID...: TERM, wait up to 3 s, then KILL; returns when all are gone.
stop_pids() {
	(($#)) || return 0
	local pid i left
	kill -TERM "$@" 2>/dev/null || true
	for ((i = 0; i < 30; i++)); do
		left=()
		for pid in "$@"; do alive "$pid" && left+=("$pid"); done
		((${#left[@]})) || return 0
		sleep 0.1
	done
	kill -KILL "${left[@]}" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		left=()
		for pid in "$@"; do alive "$pid" && left+=("$pid"); done
		((${#left[@]})) || return 0
		sleep 0.1
	done
	log "processes still alive after KILL: ${left[*]}"
}

cmd_stop() { # DIR
	(($# == 1)) || usage
	[[ -d $1 ]] || return 0
	local d f pid pids=() files=()
	d=$(cd "$1" && pwd -P)
	while IFS= read -r -d '' f; do
		files+=("$f")
		if pid=$(live_pid "$(dirname "$f")"); then pids+=("$pid"); fi
	done < <(find "$d" -maxdepth 2 -name pid -type f -print0)
	stop_pids "${pids[@]}"
	((${#files[@]} == 0)) || rm -f "${files[@]}"
}

cmd_kill_member() { # DIR N
	(($# == 2)) || usage
	local d md pid i
	d=$(abs_dir "$1")
	md=$(member_dir "$d" "$2")
	if pid=$(live_pid "$md"); then
		kill -KILL "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			alive "$pid" || break
			sleep 0.05
		done
	fi
	rm -f "$md/pid"
}

cmd_status() { # DIR
	(($# == 1)) || usage
	local d md f n pid port mode
	d=$(cd "$1" && pwd -P)
	while IFS= read -r f; do
		md=$(dirname "$f")
		if [[ $md == "$d" ]]; then n=1; else n=$(basename "$md"); fi
		port=$(cfg_get "$md" clientPort)
		pid=$(live_pid "$md") || pid=-
		mode=$(flw "$port" srvr | sed -n 's/^Mode: //p')
		echo "$n $pid $port ${mode:-down}"
	done < <(find "$d" -maxdepth 2 -name zoo.cfg -type f | sort)
}

(($# >= 1)) || usage
cmd=$1
shift
case $cmd in
install) cmd_install "$@" ;;
start) cmd_start "$@" ;;
start-member) cmd_start_member "$@" ;;
stop) cmd_stop "$@" ;;
kill-member) cmd_kill_member "$@" ;;
status) cmd_status "$@" ;;
-h | --help | help) usage ;;
*) usage ;;
esac
