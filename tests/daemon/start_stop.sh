#!/bin/sh
# vigild starts a VRRP child and a checker child under itself, and SIGTERM
# takes the whole tree down cleanly: exit 0, no process left, no pidfile left.
. "${top_srcdir:-.}/tests/daemon/lib.sh"

write_config "$T/vigil.conf"
start_vigild "$T/vigil.conf"

check "vigild reports ready" wait_until 10 vigild_ready
check "parent pidfile holds the parent's pid" [ "$(pid_in "$PIDFILE")" = "$vigild_pid" ]
vrrp=$(pid_in "$VRRP_PIDFILE")
checker=$(pid_in "$CHECK_PIDFILE")
check "VRRP child runs" alive "${vrrp:-0}"
check "checker child runs" alive "${checker:-0}"
check "VRRP child's parent is vigild" [ "$(ppid_of "${vrrp:-0}")" = "$vigild_pid" ]
check "checker child's parent is vigild" [ "$(ppid_of "${checker:-0}")" = "$vigild_pid" ]
check "VRRP child is named vigild-vrrp" [ "$(comm_of "${vrrp:-0}")" = vigild-vrrp ]
check "checker child is named vigild-check" [ "$(comm_of "${checker:-0}")" = vigild-check ]
check "both children applied generation 1" \
	[ "$(log_count 'child (pid [0-9]*) runs generation 1')" = 2 ]

kill -TERM "$vigild_pid"
wait_until 10 dead "$vigild_pid"
wait "$vigild_pid"
rc=$?
check "vigild exits 0 on SIGTERM" [ $rc -eq 0 ]
check "VRRP child is gone" dead "${vrrp:-0}"
check "checker child is gone" dead "${checker:-0}"
check "parent pidfile removed" [ ! -e "$PIDFILE" ]
check "VRRP pidfile removed" [ ! -e "$VRRP_PIDFILE" ]
check "checker pidfile removed" [ ! -e "$CHECK_PIDFILE" ]
vigild_pid=

# -P alone runs only the VRRP child.
start_vigild "$T/vigil.conf" -P
check "with -P, vigild reports ready" wait_until 10 vigild_ready
check "with -P, a VRRP child runs" alive "$(pid_in "$VRRP_PIDFILE" || echo 0)"
check "with -P, no checker child" [ ! -e "$CHECK_PIDFILE" ]
kill -INT "$vigild_pid"
wait_until 10 dead "$vigild_pid"
wait "$vigild_pid"
check "vigild exits 0 on SIGINT" [ $? -eq 0 ]
vigild_pid=
[ $tap_failed -eq 0 ] || diag "$T/log"
done_testing
