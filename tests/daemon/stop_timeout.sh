#!/bin/sh
# A child that does not stop when asked is killed after the stop timeout
# (5 s), and vigild still exits cleanly.
. "${top_srcdir:-.}/tests/daemon/lib.sh"

write_config "$T/vigil.conf"
start_vigild "$T/vigil.conf"
check "vigild reports ready" wait_until 10 vigild_ready
vrrp=$(pid_in "$VRRP_PIDFILE")
checker=$(pid_in "$CHECK_PIDFILE")

# A stopped process cannot read SHUTDOWN, but SIGKILL still ends it.
kill -STOP "${vrrp:-0}"
start=$(now_ms)
kill -TERM "$vigild_pid"
check "checker child stops at once" wait_until 4 dead "${checker:-0}"
check "vigild waits for the stuck VRRP child" alive "$vigild_pid"
check "vigild exits after the timeout" wait_until 15 dead "$vigild_pid"
elapsed=$(($(now_ms) - start))
wait "$vigild_pid"
check "vigild exits 0" [ $? -eq 0 ]
check "the stuck child was killed" dead "${vrrp:-0}"
check "the stop took the timeout (${elapsed} ms >= 4500)" [ "$elapsed" -ge 4500 ]
check "the kill is logged" log_has "VRRP child (pid $vrrp) did not stop in time; killing it"
check "pidfiles removed" [ ! -e "$PIDFILE" -a ! -e "$VRRP_PIDFILE" -a ! -e "$CHECK_PIDFILE" ]
vigild_pid=
[ $tap_failed -eq 0 ] || diag "$T/log"
done_testing
