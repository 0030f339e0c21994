#!/bin/sh
# sd_notify on a test-owned socket: READY=1 once both children applied the
# config, RELOADING=1 then READY=1 around a SIGHUP, STOPPING=1 on SIGTERM.
. "${top_srcdir:-.}/tests/daemon/lib.sh"

PY=$(command -v python3) || { echo "1..0 # SKIP python3 not found"; exit 0; }
sock=$T/notify.sock
msgs=$T/notify.txt
"$PY" "${top_srcdir:-.}/tests/daemon/notify_recv.py" "$sock" "$msgs" &
recv_pid=$!
stop_recv() { kill "$recv_pid" 2>/dev/null; cleanup; }
trap stop_recv EXIT
wait_until 10 grep -q LISTENING "$msgs" 2>/dev/null || { echo "Bail out! receiver did not start"; exit 1; }

has() { grep -q -- "$1" "$msgs"; }
count() { grep -c -- "$1" "$msgs"; }

write_config "$T/vigil.conf"
NOTIFY_SOCKET=$sock start_vigild "$T/vigil.conf"
check "READY=1 received" wait_until 10 has '^READY=1$'
check "READY=1 comes after both children applied generation 1" \
	[ "$(log_count 'child (pid [0-9]*) runs generation 1')" = 2 ]
check "STATUS= names the generation" has '^STATUS=generation 1'

kill -HUP "$vigild_pid"
check "RELOADING=1 received on SIGHUP" wait_until 10 has '^RELOADING=1$'
check "READY=1 received again after the reload" wait_until 10 sh -c "[ \$(grep -c '^READY=1$' '$msgs') -ge 2 ]"
check "RELOADING=1 comes before the second READY=1" \
	sh -c "grep -n -e '^RELOADING=1$' -e '^READY=1$' '$msgs' | tail -2 | head -1 | grep -q RELOADING"
check "STATUS= names generation 2" wait_until 10 has '^STATUS=generation 2'

kill -TERM "$vigild_pid"
check "STOPPING=1 received on SIGTERM" wait_until 10 has '^STOPPING=1$'
wait_until 10 dead "$vigild_pid"
vigild_pid=
[ $tap_failed -eq 0 ] || { diag "$msgs"; diag "$T/log"; }
done_testing
