# Shared by the daemon tests: TAP output, polling with a deadline, and a
# vigild started in the foreground with its own temp dir and pidfiles.
# Only the processes a test started are ever signalled.

# As root, run the whole test in a network namespace of its own: the VRRP
# child is real and would otherwise add the test config's VIP to the host.
if [ "$(id -u)" = 0 ] && [ -z "${VIGIL_TEST_NETNS:-}" ] && command -v unshare >/dev/null; then
	VIGIL_TEST_NETNS=1 exec unshare --net -- sh -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

T=$(mktemp -d /tmp/vigild-test.XXXXXX) || exit 1
: >"$T/log"
VIGILD=${VIGILD:-${top_builddir:-.}/vigild}
tap_n=0
tap_failed=0
vigild_pid=

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
}
# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
diag() { sed 's/^/# /' "$@"; }
# Sanitizer builds report into the processes' stderr, which is our log.
sanitizer_clean() { ! grep -q -E 'Sanitizer|runtime error:' "$T/log"; }
done_testing() {
	check "no sanitizer report from any vigild process" sanitizer_clean
	echo "1..$tap_n"
	[ $tap_failed -eq 0 ]
	exit $?
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# wait_until SECONDS COMMAND...: poll every 50 ms until COMMAND succeeds.
wait_until() {
	deadline=$(($(now_ms) + $1 * 1000)); shift
	until "$@"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
dead() { ! alive "$1"; }
ppid_of() { awk '/^PPid:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
comm_of() { cat "/proc/$1/comm" 2>/dev/null; }
pid_in() { [ -s "$1" ] && cat "$1"; }
log_has() { grep -q -- "$1" "$T/log"; }
# log_count PATTERN: how many log lines match.
log_count() { grep -c -- "$1" "$T/log"; }

PIDFILE=$T/vigild.pid
VRRP_PIDFILE=$T/vrrp.pid
CHECK_PIDFILE=$T/check.pid

# start_vigild CONFIG [EXTRA ARGS...]: run it in the foreground (-n) with
# console logging into $T/log; sets vigild_pid.
start_vigild() {
	conf=$1; shift
	"$VIGILD" -n -l -D -f "$conf" -p "$PIDFILE" -r "$VRRP_PIDFILE" -c "$CHECK_PIDFILE" \
		"$@" >>"$T/log" 2>&1 &
	vigild_pid=$!
}

# Both children known, running, and every one answered the first generation.
vigild_ready() { log_has "vigild\[$vigild_pid\]: ready"; }

# Stop what we started: SIGTERM, then SIGKILL after a deadline, children
# included (read from our own pidfiles before they disappear).
cleanup() {
	if [ -n "$vigild_pid" ] && alive "$vigild_pid"; then
		kids="$(pid_in "$VRRP_PIDFILE") $(pid_in "$CHECK_PIDFILE")"
		kill -TERM "$vigild_pid" 2>/dev/null
		wait_until 10 dead "$vigild_pid" || kill -KILL "$vigild_pid" 2>/dev/null
		for k in $kids; do
			[ "$(ppid_of "$k")" = "$vigild_pid" ] && kill -KILL "$k" 2>/dev/null
		done
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A small valid configuration in keepalived syntax.
write_config() {
	cat >"$1" <<'CONF'
global_defs {
	router_id test
}
vrrp_instance VI_1 {
	state BACKUP
	interface lo
	virtual_router_id 51
	priority 100
	advert_int 1
	virtual_ipaddress {
		192.0.2.1/32
	}
}
CONF
}

# The same with a syntax error on line 3: a block that never closes.
write_broken_config() {
	cat >"$1" <<'CONF'
global_defs {
	router_id test
vrrp_instance VI_1 {
	priority 100
CONF
}
