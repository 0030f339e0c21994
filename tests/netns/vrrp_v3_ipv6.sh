#!/bin/sh
# VRRPv3 over IPv6 between two vigild nodes (advert 0.1 s): adverts from
# the link-local address to ff02::12 with hop limit 255; one master holds
# the IPv6 VIP; takeover on SIGKILL (with unsolicited neighbour
# advertisements) and on SIGTERM.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=fd00:99::100
write_conf() { # FILE PRIORITY
	cat >"$1" <<CONF
vrrp_instance VI_6 {
	version 3
	state BACKUP
	interface eth0
	virtual_router_id 54
	priority $2
	advert_int 0.1
	virtual_ipaddress {
		$VIP/64
	}
}
CONF
}

net_setup 2 || { not_ok "topology"; done_testing; }
write_conf "$T/n1.conf" 150
write_conf "$T/n2.conf" 100
capture_start

start_vigild 1 "$T/n1.conf"
check "node 1 (150) becomes master and holds the IPv6 VIP" wait_until 3 only_holder 1 $VIP
start_vigild 2 "$T/n2.conf"
check "node 2 (100) stays backup" holds_for 1 only_holder 1 $VIP
kill_node 1
check "SIGKILL of node 1: node 2 takes the IPv6 VIP" wait_until 3 holds 2 $VIP
ip -n "$(ns 1)" addr del $VIP/64 dev eth0 2>/dev/null # what a SIGKILL leaves
start_vigild 1 "$T/n1.conf"
check "node 1 restarted preempts" wait_until 3 only_holder 1 $VIP
stop_node 1
check "SIGTERM of node 1: node 2 takes over" wait_until 2 only_holder 2 $VIP
check "the VIP is not tentative on node 2 (no DAD for VIPs)" \
	eval '! ip -n "$(ns 2)" addr show dev eth0 | grep "$VIP" | grep -q tentative'
stop_node 2
capture_stop

M1=$(node_mac 1) M2=$(node_mac 2)
n=$(wire_count "$(advert6 "$M1" 3 54 150) and dst host ff02::12 and src net fe80::/64")
check "wire: node 1 sent v3 VRID 54 priority 150 hop limit 255 adverts from its link-local address to ff02::12 ($n)" [ "$n" -ge 10 ]
n=$(wire_count "$(advert6 "$M2" 3 54 100)")
check "wire: node 2 advertised priority 100 while master ($n)" [ "$n" -ge 3 ]
n=$(wire_count "$(advert6 "$M1" 3 54 0)")
check "wire: node 1 sent a priority-0 advert when stopped ($n)" [ "$n" -ge 1 ]
n=$(wire_count "ip6 proto 112 and ip6[1] & 0xf0 = 0 and ip6[0] & 0x0f = 0x0c")
check "wire: traffic class 0xc0 on the adverts ($n)" [ "$n" -ge 10 ]
n=$(wire_count "$(na_for 0x00000100 "$M2") and dst host ff02::1 and ip6[7] = 255")
check "wire: node 2 sent unsolicited neighbour advertisements for the VIP ($n)" [ "$n" -ge 1 ]
done_testing
