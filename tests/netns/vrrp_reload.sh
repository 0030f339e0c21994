#!/bin/sh
# Reloads apply only the difference: an unchanged instance keeps its state
# and its VIP (never removed and re-added, no gratuitous ARP burst); a VIP
# added by a reload appears and is announced alone; a priority lowered by a
# reload hands mastership to the backup.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

A=10.99.0.100 B=10.99.0.101
write_conf() { # FILE PRIORITY VIP...
	f=$1 prio=$2; shift 2
	{
		printf 'global_defs {\n\tvrrp_garp_master_delay 0\n}\n'
		printf 'vrrp_instance VI_1 {\n\tversion 3\n\tinterface eth0\n'
		printf '\tvirtual_router_id 56\n\tpriority %s\n\tadvert_int 0.1\n' "$prio"
		printf '\tvirtual_ipaddress {\n'
		for v in "$@"; do printf '\t\t%s/32\n' "$v"; done
		printf '\t}\n}\n'
	} >"$f"
}
# reload NODE...: SIGHUP the nodes at once, wait until each applied the
# next generation (the parent logs it; the assertions are on the kernel).
gen=1
reload() {
	gen=$((gen + 1))
	for n in "$@"; do kill -HUP "$(node_pid $n)"; done
	for n in "$@"; do
		wait_until 5 grep -q "runs generation $gen" "$T/n$n.log" || return 1
	done
}
garps() { wire_count "$(garp_for "$1" "$(node_mac 1)")"; }

net_setup 2 || { not_ok "topology"; done_testing; }
write_conf "$T/n1.conf" 150 $A
write_conf "$T/n2.conf" 100 $A
capture_start
start_vigild 1 "$T/n1.conf"
check "node 1 becomes master" wait_until 3 only_holder 1 $A
start_vigild 2 "$T/n2.conf"
check "node 2 stays backup" holds_for 0.5 only_holder 1 $A
ip -n "$(ns 1)" monitor address >"$T/monitor.log" 2>&1 &
started_pids="$started_pids $!"
sleep 0.3 # the monitor subscribes; what it sees from here on is asserted

g0=$(garps $A)
check "reload with the same configuration" reload 1 2
check "node 1 still holds the VIP alone" holds_for 1 only_holder 1 $A
check "no gratuitous ARP after a reload that changed nothing" [ "$(garps $A)" -eq "$g0" ]

write_conf "$T/n1.conf" 150 $A $B
write_conf "$T/n2.conf" 100 $A $B
check "reload adding a second VIP on both nodes" reload 1 2
check "node 1 holds the added VIP" wait_until 2 only_holder 1 $B
check "and still the first one, alone" holds_for 1 only_holder 1 $A
check "the added VIP was announced" wait_until 1 [ "$(garps $B)" -ge 1 ]
check "the kept VIP was not announced again" [ "$(garps $A)" -eq "$g0" ]
check "the address monitor saw the added VIP arrive (it works)" \
	grep -q "inet $B/" "$T/monitor.log"
check "no VIP was ever removed from node 1 by these reloads" \
	eval '! grep -q "^Deleted.*inet $A/" "$T/monitor.log"'
check "the kept VIP was never added again" eval '! grep -q "inet $A/" "$T/monitor.log"'

write_conf "$T/n1.conf" 50 $A $B
check "reload lowering node 1's priority to 50" reload 1
check "node 2 takes both VIPs over" wait_until 2 only_holder 2 $A
check "node 2 holds the second VIP too" wait_until 1 only_holder 2 $B
stop_node 1
stop_node 2
capture_stop
check "wire: node 1 advertised priority 50 after the reload" \
	[ "$(wire_count "$(advert4 "$(node_ip 1)" 3 56 50)")" -ge 1 ]
done_testing
