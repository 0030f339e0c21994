#!/bin/sh
# The VRRP child's process settings, as the kernel reports them: real time
# by default (SCHED_RR 10), vrrp_rt_priority N, vrrp_rt_priority off
# (SCHED_OTHER), vrrp_priority (nice) and vrrp_no_swap (memory locked),
# also changed by a reload.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

write_conf() { # FILE GLOBAL_DEFS...
	f=$1; shift
	{
		echo "global_defs {"
		for l in "$@"; do echo "	$l"; done
		echo "}"
		cat <<CONF
vrrp_instance VI_1 {
	interface eth0
	virtual_router_id 62
	priority 100
	advert_int 1
	virtual_ipaddress {
		10.99.0.100/32
	}
}
CONF
	} >"$f"
}

# stat_field NODE N: field N of /proc/PID/stat of the node's VRRP child
# (the comm field is skipped safely: fields are counted after its ')').
stat_field() { sed 's/.*) //' "/proc/$(pid_in "$T/n$1.vpid")/stat" | awk -v n="$2" '{ print $(n - 2) }'; }
policy() { stat_field "$1" 41; }
rtprio() { stat_field "$1" 40; }
nice_of() { stat_field "$1" 19; }
locked_kb() { awk '/^VmLck:/ { print $2 }' "/proc/$(pid_in "$T/n$1.vpid")/status"; }
is() { [ "$($1 "$2")" = "$3" ]; }

net_setup 2 || { not_ok "topology"; done_testing; }
write_conf "$T/n1.conf" "router_id n1"
write_conf "$T/n2.conf" "vrrp_rt_priority off" "vrrp_priority -5" "vrrp_no_swap"
start_vigild 1 "$T/n1.conf"
start_vigild 2 "$T/n2.conf"

check "default: SCHED_RR (policy $(policy 1))" wait_until 3 is policy 1 2
check "default: real-time priority 10 ($(rtprio 1))" is rtprio 1 10
check "default: nice 0 ($(nice_of 1))" is nice_of 1 0
check "default: nothing locked ($(locked_kb 1) kB)" is locked_kb 1 0
check "vrrp_rt_priority off: SCHED_OTHER (policy $(policy 2))" wait_until 3 is policy 2 0
check "vrrp_priority -5: nice -5 ($(nice_of 2))" is nice_of 2 -5
# AddressSanitizer turns mlockall() into a no-op.
if grep -q libasan "/proc/$(pid_in "$T/n2.vpid")/maps"; then
	ok "vrrp_no_swap: memory locked # SKIP the sanitizer build does not lock memory"
else
	check "vrrp_no_swap: memory locked ($(locked_kb 2) kB)" [ "$(locked_kb 2)" -gt 0 ]
fi

write_conf "$T/n1.conf" "vrrp_rt_priority 20" "vrrp_priority 3"
write_conf "$T/n2.conf" "router_id n2"
kill -HUP "$(node_pid 1)" "$(node_pid 2)"
check "reload: vrrp_rt_priority 20 applies" wait_until 5 is rtprio 1 20
check "reload: vrrp_priority 3 applies" wait_until 5 is nice_of 1 3
check "reload without vrrp_rt_priority off: SCHED_RR again" wait_until 5 is policy 2 2
check "reload without vrrp_no_swap: memory unlocked" wait_until 5 is locked_kb 2 0
check "reload without vrrp_priority: nice 0" wait_until 5 is nice_of 2 0
done_testing
