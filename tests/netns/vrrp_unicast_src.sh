#!/bin/sh
# A unicast instance whose unicast_src_ip is not on the host yet: the
# socket opens all the same (IP_FREEBIND, keepalived 2.3.3), the instance
# waits in FAULT (no advert, no VIP) and runs as soon as the address is
# added; the address removed again puts it back in FAULT and the peer takes
# over.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=10.99.0.100 SRC1=10.99.0.11
write_conf() { # FILE PRIORITY SRC PEER
	cat >"$1" <<CONF
vrrp_instance VI_1 {
	version 3
	state BACKUP
	interface eth0
	virtual_router_id 58
	priority $2
	advert_int 0.1
	unicast_src_ip $3
	unicast_peer {
		$4
	}
	virtual_ipaddress {
		$VIP/24
	}
}
CONF
}

net_setup 2 || { not_ok "topology"; done_testing; }
write_conf "$T/n1.conf" 150 $SRC1 "$(node_ip 2)"
write_conf "$T/n2.conf" 100 "$(node_ip 2)" $SRC1
capture_start

start_vigild 2 "$T/n2.conf"
check "node 2 (100) becomes master" wait_until 3 only_holder 2 $VIP
t0=$(now_ms)
start_vigild 1 "$T/n1.conf"
check "node 1 (150) without its unicast_src_ip does not take the VIP" \
	holds_for 1.5 only_holder 2 $VIP
check "node 1's daemon runs" alive "$(node_pid 1)"
ip -n "$(ns 1)" addr add $SRC1/24 dev eth0
t1=$(now_ms)
check "unicast_src_ip added: node 1 preempts" wait_until 2 only_holder 1 $VIP
check "node 2 is backup again" holds_for 1 only_holder 1 $VIP
ip -n "$(ns 1)" addr del $SRC1/24 dev eth0
t2=$(now_ms)
check "unicast_src_ip removed: node 1 gives the VIP up, node 2 takes it" \
	wait_until 2 only_holder 2 $VIP
stop_node 1
stop_node 2
capture_stop

n=$(wire_between "$t0" "$t1" "ip proto 112 and ether src $(node_mac 1)")
check "wire: no advert from node 1 while its source was missing ($n)" [ "$n" -eq 0 ]
n=$(wire_between "$t1" "$t2" "$(advert4 $SRC1 3 58 150) and dst host $(node_ip 2)")
check "wire: node 1's adverts from $SRC1 to its peer once the address was there ($n)" [ "$n" -ge 10 ]
done_testing
