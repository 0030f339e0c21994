#!/bin/sh
# A child that dies is respawned (new pid, same parent), and the death is
# logged with how it died.
. "${top_srcdir:-.}/tests/daemon/lib.sh"

write_config "$T/vigil.conf"
start_vigild "$T/vigil.conf"
check "vigild reports ready" wait_until 10 vigild_ready

pidfile_changed() { p=$(pid_in "$1") && [ "$p" != "$2" ] && alive "$p"; }

for which in VRRP checker; do
	if [ $which = VRRP ]; then f=$VRRP_PIDFILE; else f=$CHECK_PIDFILE; fi
	old=$(pid_in "$f")
	# Only a real pid of our child: "kill -KILL 0" would hit our whole
	# process group (make and the test harness with it).
	if [ -n "$old" ] && [ "$old" -gt 1 ] && [ "$(ppid_of "$old")" = "$vigild_pid" ]; then
		kill -KILL "$old"
	else
		echo "# $which child pidfile $f holds no child of vigild: '$old'"
	fi
	check "$which child respawned with a new pid" wait_until 10 pidfile_changed "$f" "$old"
	new=$(pid_in "$f")
	check "respawned $which child's parent is vigild" [ "$(ppid_of "${new:-0}")" = "$vigild_pid" ]
	check "the death of the $which child is logged with its signal" \
		log_has "$which child (pid $old) was killed by signal 9"
	check "respawned $which child applied the current generation" \
		wait_until 10 log_has "$which child (pid $new) runs generation 1"
done
check "vigild itself still runs" alive "$vigild_pid"
[ $tap_failed -eq 0 ] || diag "$T/log"
done_testing
