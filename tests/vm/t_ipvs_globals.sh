#!/bin/bash
# The LVS keywords of global_defs: lvs_timeouts (IPVS_CMD_SET_CONFIG at start
# and on reload; what the config stops setting goes back to the kernel's
# value from before vigild started), lvs_flush (the whole table flushed at
# start, but not when a crashed checker process is replaced) and
# lvs_flush_on_stop (a clean stop flushes everything; with VS, or by
# default, only vigild's services go).
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-globals.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

start() {
	"$VIGILD" -n -l -C -f "$T/vigil.conf" -p "$T/pid" -c "$T/cpid" >>"$T/log" 2>&1 &
	pid=$!
}
stop() {
	kill -TERM "$pid" && wait "$pid"
	pid=
}
reload() { kill -HUP "$pid"; }
timeouts() { ipvsadm -L --timeout; }
# until SECONDS CMD...: poll CMD until it succeeds.
until_ok() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	"$@"
}
has_timeouts() { [ "$(timeouts)" = "Timeout (tcp tcpfin udp): $1" ]; }
has_service() { ipvsadm -Ln -t "$1" >/dev/null 2>&1; }
no_service() { ! has_service "$1"; }
table_empty() { [ -z "$(ipvsadm -Sn)" ]; }
conf() { # conf GLOBAL_DEFS_LINES...
	{
		echo "global_defs {"
		printf '    %s\n' "$@"
		echo "}"
		cat <<'CONF'
virtual_server 192.0.2.1 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.0.0.1 80 {
        weight 1
    }
}
CONF
	} >"$T/vigil.conf"
}
fail_log() { tail -8 "$T/log" | tap_diag; }

kernel=$(timeouts | sed 's/.*: //')
foreign=198.51.100.9:25

# --- lvs_flush and lvs_timeouts at start.
ipvsadm -A -t $foreign -s rr
conf "lvs_flush" "lvs_timeouts tcp 1000 tcpfin 30 udp 200"
start
tap_check "lvs_flush: vigild's service is in" until_ok 20 has_service 192.0.2.1:80
tap_check "lvs_flush: the foreign service was flushed at start" no_service $foreign
tap_check "lvs_timeouts set at start (was: $kernel)" until_ok 10 has_timeouts "1000 30 200"

# --- reload: only tcp left; tcpfin and udp go back to the kernel's values.
conf "lvs_flush" "lvs_timeouts tcp 1200"
reload
tap_check "reload: lvs_timeouts tcp 1200, the others back to the kernel's" \
	until_ok 10 has_timeouts "1200 $(echo "$kernel" | cut -d' ' -f2-)"

# --- a replaced checker process does not flush again.
ipvsadm -A -t $foreign -s rr
old=$(cat "$T/cpid")
kill -KILL "$old"
respawned() { [ -s "$T/cpid" ] && [ "$(cat "$T/cpid")" != "$old" ] && kill -0 "$(cat "$T/cpid")"; }
until_ok 10 respawned || fail_log
sleep 1
tap_check "lvs_flush: a respawned checker process adopts, no flush" has_service $foreign
tap_check "lvs_flush: vigild's service survived the respawn" has_service 192.0.2.1:80

# --- lvs_flush_on_stop VS: the default, only vigild's services go.
conf "lvs_flush_on_stop VS"
reload
sleep 1
stop
tap_check "lvs_flush_on_stop VS: vigild's service removed at stop" no_service 192.0.2.1:80
tap_check "lvs_flush_on_stop VS: the foreign service stays" has_service $foreign

# --- lvs_flush_on_stop: everything goes.
conf "lvs_flush_on_stop"
start
until_ok 20 has_service 192.0.2.1:80 || fail_log
stop
tap_check "lvs_flush_on_stop: the whole table is flushed at a clean stop" table_empty
tap_done
