#!/bin/sh
# VRRPv3 over unicast (unicast_src_ip / unicast_peer) between two vigild
# nodes: adverts go to the peer only, nothing to 224.0.0.18; one master;
# takeover on SIGKILL and SIGTERM.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=10.99.0.100
write_conf() { # FILE PRIORITY SELF PEER
	cat >"$1" <<CONF
vrrp_instance VI_U {
	version 3
	state BACKUP
	interface eth0
	virtual_router_id 55
	priority $2
	advert_int 0.1
	unicast_src_ip $3
	unicast_peer {
		$4
	}
	virtual_ipaddress {
		$VIP/32
	}
}
CONF
}

net_setup 2 || { not_ok "topology"; done_testing; }
A1=$(node_ip 1) A2=$(node_ip 2)
write_conf "$T/n1.conf" 150 "$A1" "$A2"
write_conf "$T/n2.conf" 100 "$A2" "$A1"
capture_start

start_vigild 1 "$T/n1.conf"
check "node 1 (150) becomes master" wait_until 3 only_holder 1 $VIP
start_vigild 2 "$T/n2.conf"
check "node 2 (100) stays backup" holds_for 1 only_holder 1 $VIP
kill_node 1
check "SIGKILL of node 1: node 2 takes the VIP" wait_until 3 holds 2 $VIP
ip -n "$(ns 1)" addr del $VIP/32 dev eth0 2>/dev/null # what a SIGKILL leaves
start_vigild 1 "$T/n1.conf"
check "node 1 restarted preempts" wait_until 3 only_holder 1 $VIP
stop_node 1
check "SIGTERM of node 1: node 2 takes over" wait_until 2 only_holder 2 $VIP
stop_node 2
capture_stop

n=$(wire_count "$(advert4 "$A1" 3 55 150) and dst host $A2")
check "wire: node 1's adverts go to its peer $A2 with TTL 255 ($n)" [ "$n" -ge 10 ]
n=$(wire_count "$(advert4 "$A2" 3 55 100) and dst host $A1")
check "wire: node 2's adverts go to its peer $A1 ($n)" [ "$n" -ge 1 ]
n=$(wire_count "ip proto 112 and dst host 224.0.0.18")
check "wire: no multicast advert at all ($n)" [ "$n" -eq 0 ]
n=$(wire_count "$(advert4 "$A1" 3 55 0) and dst host $A2")
check "wire: node 1's priority-0 advert went to its peer ($n)" [ "$n" -ge 1 ]
done_testing
