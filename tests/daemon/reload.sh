#!/bin/sh
# SIGHUP with a broken config changes nothing anywhere and logs every
# diagnostic; a later SIGHUP with a fixed config reaches both children.
. "${top_srcdir:-.}/tests/daemon/lib.sh"

conf=$T/vigil.conf
write_config "$conf"
start_vigild "$conf"
check "vigild reports ready" wait_until 10 vigild_ready
vrrp=$(pid_in "$VRRP_PIDFILE")
checker=$(pid_in "$CHECK_PIDFILE")

write_broken_config "$conf"
kill -HUP "$vigild_pid"
check "the broken config's diagnostics are logged with file:line:col" \
	wait_until 10 log_has "$conf:[0-9]*:[0-9]*: error:"
check "the failed reload is logged" wait_until 10 log_has "reload failed; still running generation 1"
check "vigild still runs" alive "$vigild_pid"
same_and_alive() { [ -n "$2" ] && [ "$(pid_in "$1")" = "$2" ] && alive "$2"; }
check "VRRP child still runs with the same pid" same_and_alive "$VRRP_PIDFILE" "$vrrp"
check "checker child still runs with the same pid" same_and_alive "$CHECK_PIDFILE" "$checker"
check "no child was sent a new generation" [ "$(log_count 'runs generation 2')" = 0 ]
# Config generations are memfds mapped at the same address in every process
# (daemon/config_slots.h); count the distinct ones each process maps.
config_maps() { grep 'memfd:vigil-config' "/proc/$1/maps" | awk '{ print $5 }' | sort -u | wc -l; }
tree_maps() { cat "/proc/$vigild_pid/maps" "/proc/$vrrp/maps" "/proc/$checker/maps" |
	grep 'memfd:vigil-config' | awk '{ print $5 }' | sort -u | wc -l; }
check "the failed load left no generation mapped in the parent" [ "$(config_maps "$vigild_pid")" = 1 ]

write_config "$conf"
kill -HUP "$vigild_pid"
check "VRRP child applies the fixed config as generation 2" \
	wait_until 10 log_has "VRRP child (pid $vrrp) runs generation 2"
check "checker child applies the fixed config as generation 2" \
	wait_until 10 log_has "checker child (pid $checker) runs generation 2"
check "the reload completes" wait_until 10 log_has "reload done: generation 2"
check "VRRP child kept its pid through the reload" same_and_alive "$VRRP_PIDFILE" "$vrrp"
check "checker child kept its pid through the reload" same_and_alive "$CHECK_PIDFILE" "$checker"
check "parent maps only the new generation" [ "$(config_maps "$vigild_pid")" = 1 ]
check "VRRP child maps only the new generation" [ "$(config_maps "$vrrp")" = 1 ]
check "checker child maps only the new generation" [ "$(config_maps "$checker")" = 1 ]
check "all three map the same generation" [ "$(tree_maps)" = 1 ]

# A child respawned after a reload starts from the newest generation.
kill -KILL "$vrrp"
respawned() { p=$(pid_in "$VRRP_PIDFILE") && [ "$p" != "$vrrp" ] && log_has "VRRP child (pid $p) runs generation 2"; }
check "a respawned child inherits generation 2" wait_until 10 respawned
[ $tap_failed -eq 0 ] || diag "$T/log"
done_testing
