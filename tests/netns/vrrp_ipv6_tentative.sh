#!/bin/sh
# IPv6 duplicate address detection and VRRPv3 (keepalived 2.3.3): a
# tentative link-local address is never the source of an advert. A node
# whose only link-local address is still tentative stays in FAULT (no
# advert, no VIP) until DAD finishes; a node with a usable link-local
# address and a newer tentative one sends from the usable one at once. The
# VIPs themselves are added without DAD (never tentative), on interfaces
# that do run DAD. DAD takes ~4-5 s here (retrans_time 4 s).
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=fd00:99::100
write_conf() { # FILE PRIORITY
	cat >"$1" <<CONF
vrrp_instance VI_6 {
	version 3
	state BACKUP
	interface eth0
	virtual_router_id 64
	priority $2
	advert_int 0.1
	virtual_ipaddress {
		$VIP/64
	}
}
CONF
}

# slow_dad NODE: DAD on the node's eth0, one probe, 4 s to wait for a reply.
slow_dad() {
	ip netns exec "$(ns "$1")" sysctl -qw net.ipv6.conf.eth0.accept_dad=1 \
		net.ipv6.conf.eth0.dad_transmits=1 net.ipv6.neigh.eth0.retrans_time_ms=4000
}
tentative() { ip -n "$(ns "$1")" -6 addr show dev eth0 | grep "$2/" | grep -q tentative; }
valid() { ip -n "$(ns "$1")" -6 addr show dev eth0 | grep "$2/" | grep -qv tentative; }

net_setup 2 || { not_ok "topology"; done_testing; }
write_conf "$T/n1.conf" 150
write_conf "$T/n2.conf" 200
slow_dad 1
slow_dad 2
capture_start

# Node 1: its only link-local address is tentative when vigild starts.
ip -n "$(ns 1)" -6 addr flush dev eth0 scope link
ip -n "$(ns 1)" -6 addr add fe80::a/64 dev eth0
check "node 1's only link-local address fe80::a is tentative" tentative 1 fe80::a
t0=$(now_ms)
start_vigild 1 "$T/n1.conf"
check "node 1 takes no VIP while fe80::a is tentative" \
	holds_for 2 eval '! holds 1 $VIP && tentative 1 fe80::a'
wait_until 8 valid 1 fe80::a
t_valid=$(now_ms)
check "DAD of fe80::a finished ($((t_valid - t0)) ms)" valid 1 fe80::a
check "node 1 becomes master once it has a usable link-local address" \
	wait_until 3 only_holder 1 $VIP
check "and stays master" holds_for 1 only_holder 1 $VIP
check "the VIP on node 1 is not tentative, though eth0 runs DAD (nodad)" \
	eval 'ip -n "$(ns 1)" -6 addr show dev eth0 | grep "$VIP/" | grep -v tentative | grep -q nodad'

# Node 2: a usable link-local address and a newer one still tentative.
ip -n "$(ns 2)" -6 addr add fe80::c/64 dev eth0
check "node 2 has a tentative fe80::c besides its usable link-local address" tentative 2 fe80::c
t1=$(now_ms)
start_vigild 2 "$T/n2.conf"
check "node 2 (200) preempts while fe80::c is still tentative" \
	wait_until 2 eval 'only_holder 2 $VIP && tentative 2 fe80::c'
t2=$(now_ms)
check "node 1 stays backup" holds_for 1 only_holder 2 $VIP
stop_node 2
stop_node 1
capture_stop

n=$(wire_between "$t0" "$t_valid" "ip6 proto 112 and ether src $(node_mac 1)")
check "wire: no advert from node 1 while fe80::a was tentative ($n)" [ "$n" -eq 0 ]
n=$(wire_count "ip6 proto 112 and src host fe80::a")
check "wire: node 1 advertised from fe80::a once it was valid ($n)" [ "$n" -ge 5 ]
n=$(wire_count "ip6 proto 112 and src host fe80::c")
check "wire: no advert from the tentative fe80::c ($n)" [ "$n" -eq 0 ]
n=$(wire_between "$t1" "$t2" "$(advert6 "$(node_mac 2)" 3 64 200) and src net fe80::/64")
check "wire: node 2's adverts came from its usable link-local address ($n)" [ "$n" -ge 1 ]
done_testing
