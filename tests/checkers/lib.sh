# Shared by the checker tests: TAP, two network namespaces joined by a
# veth pair (the checker in $NS_C at $C4/$C6, real servers in $NS_S at
# $S4/$S6), and check_driver run in $NS_C with its verdicts in $T/out.
# Everything a test starts is recorded and stopped by pid at exit; the
# namespaces are deleted. Needs root (CI runs as root).

T=$(mktemp -d /tmp/vigil-checkers.XXXXXX) || exit 1
tap_n=0
tap_failed=0
pids=
NS_C=vck-c-$$
NS_S=vck-s-$$
C4=10.251.0.1 S4=10.251.0.2
C6=fd00:251::1 S6=fd00:251::2
DRIVER=${CHECK_DRIVER:-${top_builddir:-.}/tests/checkers/check_driver}

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
}
check() {
	d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
diag() { sed 's/^/# /' "$@"; }

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	ip netns del "$NS_C" 2>/dev/null
	ip netns del "$NS_S" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

done_testing() {
	check "no sanitizer report from check_driver" \
		sh -c "! grep -q -E 'Sanitizer|runtime error:|LeakSanitizer' '$T/err'"
	if [ $tap_failed -gt 0 ]; then
		echo "# check_driver output:"; diag "$T/out"
		echo "# check_driver log (tail):"; tail -n 40 "$T/err" | diag
	fi
	echo "1..$tap_n"
	[ $tap_failed -eq 0 ]
	exit $?
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# wait_until SECONDS COMMAND...: poll every 50 ms until COMMAND succeeds.
wait_until() {
	deadline=$(($(now_ms) + $(echo "$1" | awk '{ printf "%d", $1 * 1000 }'))); shift
	until "$@"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# require_root_netns: skip unless we may create namespaces.
require_root_netns() {
	[ "$(id -u)" = 0 ] || skip_all "needs root (network namespaces)"
	command -v ip >/dev/null || skip_all "iproute2 not installed"
	[ -x "$DRIVER" ] || skip_all "check_driver not built ($DRIVER)"
}

# require_cmd CMD PACKAGE: skip when a real server's program is missing.
require_cmd() {
	command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ] ||
		skip_all "$1 not installed (Debian package $2)"
}

setup_netns() {
	ip netns add "$NS_C" && ip netns add "$NS_S" || skip_all "cannot create network namespaces"
	ip -n "$NS_C" link set lo up
	ip -n "$NS_S" link set lo up
	ip link add vck-c-$$ netns "$NS_C" type veth peer name vck-s-$$ netns "$NS_S" ||
		skip_all "cannot create a veth pair"
	ip -n "$NS_C" link set vck-c-$$ name eth0
	ip -n "$NS_S" link set vck-s-$$ name eth0
	ip -n "$NS_C" addr add $C4/24 dev eth0
	ip -n "$NS_S" addr add $S4/24 dev eth0
	ip -n "$NS_C" addr add $C6/64 dev eth0 nodad
	ip -n "$NS_S" addr add $S6/64 dev eth0 nodad
	ip -n "$NS_C" link set eth0 up
	ip -n "$NS_S" link set eth0 up
}

in_s() { ip netns exec "$NS_S" "$@"; }
in_c() { ip netns exec "$NS_C" "$@"; }

# bg_s NAME COMMAND...: start a server in $NS_S; its pid in $T/NAME.pid.
bg_s() {
	name=$1; shift
	ip netns exec "$NS_S" "$@" >"$T/$name.log" 2>&1 &
	echo $! >"$T/$name.pid"
	pids="$pids $!"
}
# stop NAME: stop what bg_s NAME started, and wait for it to go.
stop() {
	p=$(cat "$T/$1.pid" 2>/dev/null) || return 0
	kill "$p" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.05; done
	kill -9 "$p" 2>/dev/null
}

# start_driver CONFIG: check_driver in $NS_C; verdicts in $T/out.
start_driver() {
	: >"$T/out"
	ip netns exec "$NS_C" "$DRIVER" "$1" >"$T/out" 2>"$T/err" &
	driver_pid=$!
	pids="$pids $driver_pid"
	wait_until 5 grep -q ' start ' "$T/out"
}

# has PATTERN: check_driver printed a line matching PATTERN (ERE).
has() { grep -q -E -- "$1" "$T/out"; }
count() { grep -c -E -- "$1" "$T/out"; }
# more_than N PATTERN: more than N lines match (take N before acting).
more_than() { [ "$(count "$2")" -gt "$1" ]; }

# nginx_conf LOCATIONS: a certificate for rs.test made here ($T/cert.pem,
# $T/key.pem) and $T/nginx.conf, one nginx process serving the nginx
# LOCATIONS on $S4:80 and, with TLS, on $S4:443. Skips without openssl.
nginx_conf() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=rs.test \
		-keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 ||
		skip_all "openssl cannot make a certificate"
	cat >"$T/nginx.conf" <<NGINX
daemon off;
master_process off; # one process: stopping it stops serving, even after a SIGKILL
worker_processes 1;
pid $T/nginx.pid.file;
error_log $T/nginx.err;
events { worker_connections 256; }
http {
	access_log off;
	client_body_temp_path $T/cb; proxy_temp_path $T/px; fastcgi_temp_path $T/fc;
	uwsgi_temp_path $T/uw; scgi_temp_path $T/sc;
	default_type text/plain;
	server {
		listen $S4:80;
		listen $S4:443 ssl;
		ssl_certificate $T/cert.pem;
		ssl_certificate_key $T/key.pem;
		$1
	}
}
NGINX
}

# tcp_listening PORT: something accepts on $S4:PORT.
tcp_listening() { in_s ss -Hltn "sport = :$1" | grep -q .; }
