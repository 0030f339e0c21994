#!/bin/sh
# When vigild dies without a word (SIGKILL), its children follow it rather
# than linger holding VIPs or IPVS state, and a new vigild starts despite
# the stale pidfile (the lock died with the process).
. "${top_srcdir:-.}/tests/daemon/lib.sh"

write_config "$T/vigil.conf"
start_vigild "$T/vigil.conf"
check "vigild reports ready" wait_until 10 vigild_ready
vrrp=$(pid_in "$VRRP_PIDFILE")
checker=$(pid_in "$CHECK_PIDFILE")
old=$vigild_pid

kill -KILL "$vigild_pid"
wait "$vigild_pid" 2>/dev/null
check "VRRP child exits when the parent dies" wait_until 10 dead "${vrrp:-0}"
check "checker child exits when the parent dies" wait_until 10 dead "${checker:-0}"
check "stale parent pidfile is left behind" [ "$(pid_in "$PIDFILE")" = "$old" ]

start_vigild "$T/vigil.conf"
check "a new vigild starts over the stale pidfile" wait_until 10 vigild_ready
check "the pidfile names the new vigild" [ "$(pid_in "$PIDFILE")" = "$vigild_pid" ]
[ $tap_failed -eq 0 ] || diag "$T/log"
done_testing
