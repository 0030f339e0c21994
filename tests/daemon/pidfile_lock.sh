#!/bin/sh
# One vigild per configuration: a second one with the same pidfile refuses
# to start, names the pid that holds it, and disturbs nothing.
. "${top_srcdir:-.}/tests/daemon/lib.sh"

write_config "$T/vigil.conf"
start_vigild "$T/vigil.conf"
check "first vigild reports ready" wait_until 10 vigild_ready
vrrp=$(pid_in "$VRRP_PIDFILE")

"$VIGILD" -n -l -f "$T/vigil.conf" -p "$PIDFILE" -r "$T/other_vrrp.pid" \
	-c "$T/other_check.pid" >"$T/second.log" 2>&1 &
second=$!
check "second vigild exits" wait_until 10 dead "$second"
wait "$second"
check "second vigild exits non-zero" [ $? -ne 0 ]
check "second vigild names the pid holding the pidfile" \
	grep -q "another vigild (pid $vigild_pid) holds $PIDFILE" "$T/second.log"
check "second vigild started no child" [ ! -e "$T/other_vrrp.pid" ]
check "first vigild still runs" alive "$vigild_pid"
check "pidfile still names the first vigild" [ "$(pid_in "$PIDFILE")" = "$vigild_pid" ]
check "first vigild's VRRP child untouched" alive "${vrrp:-0}"
[ $tap_failed -eq 0 ] || { diag "$T/log"; diag "$T/second.log"; }
done_testing
