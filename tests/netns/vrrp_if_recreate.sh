#!/bin/sh
# An instance's interface deleted and re-created (a new ifindex): the
# instance gives its VIP up while it is gone (the backup takes it), then
# re-opens its socket and re-joins its multicast group: it comes back as
# master of the IPv4 VIP it had (adverts, VIP, gratuitous ARP on the new
# interface) and stays backup of the IPv6 one (it hears the master again).
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP4=10.99.0.100 VIP6=fd00:99::100
write_conf() { # FILE PRIORITY4 PRIORITY6
	cat >"$1" <<CONF
vrrp_instance VI_4 {
	version 3
	state BACKUP
	interface eth0
	virtual_router_id 61
	priority $2
	advert_int 0.2
	virtual_ipaddress {
		$VIP4/24
	}
}
vrrp_instance VI_6 {
	version 3
	state BACKUP
	interface eth0
	virtual_router_id 62
	priority $3
	advert_int 0.1
	virtual_ipaddress {
		$VIP6/64
	}
}
CONF
}

# recreate_eth0 NODE: delete the node's eth0 and plug a new one in.
recreate_eth0() {
	ip -n "$(ns "$1")" link del eth0 || return 1
	sleep 0.5
	node_eth0_add "$1"
}
ifindex() { ip -n "$(ns "$1")" -o link show dev eth0 | cut -d: -f1; }

net_setup 2 || { not_ok "topology"; done_testing; }
# Node 1 is master of VI_4 and backup of VI_6: after the re-creation it
# must send again (VI_4) and hear node 2 again (VI_6), or it would take
# VI_6 too.
write_conf "$T/n1.conf" 150 100
write_conf "$T/n2.conf" 100 150
capture_start

start_vigild 1 "$T/n1.conf"
start_vigild 2 "$T/n2.conf"
both() { only_holder 1 $VIP4 && only_holder 2 $VIP6; }
check "node 1 is master of VI_4, node 2 of VI_6" wait_until 4 both
old=$(ifindex 1)

ip -n "$(ns 1)" link del eth0
t_del=$(now_ms)
check "node 1's eth0 deleted: node 2 takes VI_4 too" \
	wait_until 3 eval 'holds 2 $VIP4 && holds 2 $VIP6'
sleep 0.5
node_eth0_add 1
t_new=$(now_ms)
check "the new eth0 has another ifindex ($old -> $(ifindex 1))" [ "$(ifindex 1)" != "$old" ]
check "node 1 comes back as master of VI_4 on the new eth0, backup of VI_6" \
	wait_until 5 both
check "and stays so" holds_for 1.5 both

# Twice more, quickly: nothing is left behind by a deleted interface.
recreate_eth0 1 && recreate_eth0 1
check "after two more re-creations, the same again" wait_until 5 both
check "and stays so" holds_for 1.5 both
check "both daemons still run" eval 'alive "$(node_pid 1)" && alive "$(node_pid 2)"'
t_end=$(now_ms)
stop_node 1
stop_node 2
capture_stop

A1=$(node_ip 1) M1=$(node_mac 1) M2=$(node_mac 2)
n=$(wire_between "$t_del" "$t_new" "$(advert_any "$A1")")
check "wire: no IPv4 advert from node 1 while its eth0 was gone ($n)" [ "$n" -eq 0 ]
n=$(wire_between "$t_new" "$t_end" "$(advert4 "$A1" 3 61 150)")
check "wire: node 1's v3 IPv4 adverts (VRID 61, 150) after the re-creation ($n)" [ "$n" -ge 5 ]
n=$(wire_between "$t_new" "$t_end" "$(advert6 "$M2" 3 62 150) and dst host ff02::12")
check "wire: node 2's IPv6 adverts to ff02::12 ($n)" [ "$n" -ge 20 ]
n=$(wire_between "$((t_new + 1500))" "$t_end" "$(advert6 "$M1" 3 62 100)")
check "wire: node 1 did not advertise VI_6 once back (it hears node 2) ($n)" [ "$n" -eq 0 ]
n=$(wire_between "$t_new" "$t_end" "$(garp_for $VIP4 "$M1")")
check "wire: node 1 announced the IPv4 VIP again ($n)" [ "$n" -ge 1 ]
done_testing
