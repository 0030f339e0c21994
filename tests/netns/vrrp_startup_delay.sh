#!/bin/sh
# vrrp_startup_delay (keepalived.conf(5), global_defs): after vigild starts,
# its VRRP instances do nothing until the delay has passed: no advert on
# the wire, no VIP, even with the highest priority and "state MASTER";
# then they run as usual (here: preempt the node that took the VIP).
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=10.99.0.100
write_conf() { # FILE PRIORITY DELAY
	cat >"$1" <<CONF
global_defs {
	vrrp_startup_delay $3
	vrrp_garp_master_delay 0
}
vrrp_instance VI_1 {
	version 3
	state MASTER
	interface eth0
	virtual_router_id 61
	priority $2
	advert_int 0.1
	virtual_ipaddress {
		$VIP/32
	}
}
CONF
}

net_setup 2 || { not_ok "topology"; done_testing; }
write_conf "$T/n1.conf" 150 2.5
write_conf "$T/n2.conf" 100 0
capture_start

t0=$(now_ms)
start_vigild 1 "$T/n1.conf"
start_vigild 2 "$T/n2.conf"
check "node 2 (100, no delay) takes the VIP while node 1 waits" wait_until 1.5 only_holder 2 $VIP
check "node 1 (150, delay 2.5 s) holds nothing during its delay" \
	holds_for $(awk -v t="$(now_ms)" -v t0="$t0" 'BEGIN { printf "%.2f", (t0 + 2300 - t) / 1000 }') \
	eval '! holds 1 $VIP'
check "after the delay node 1 preempts" wait_until 3 only_holder 1 $VIP
stop_node 1
stop_node 2
capture_stop

A1=$(node_ip 1)
first=$(first_time "$(advert_any "$A1")")
ms=$(ms_between "$(awk -v t="$t0" 'BEGIN { printf "%.3f", t / 1000 }')" "${first:-0}")
echo "# node 1's first advert ${ms} ms after it was started (delay 2500 ms)"
check "wire: node 1's first advert comes after the delay (${ms} ms >= 2500)" in_range "$ms" 2500 4000
n=$(wire_count "arp and ether src $(node_mac 1)")
m=$(wire_between "$t0" $((t0 + 2500)) "arp and ether src $(node_mac 1)")
check "wire: no ARP from node 1 during the delay ($m of $n)" [ "$m" -eq 0 ]
done_testing
