#!/bin/sh
# use_vmac and interfaces that go away: the master's VMAC interface deleted
# by hand, then its base eth0 deleted and re-created (taking the VMAC with
# it). Each time the instance gives the VIP up meanwhile, makes its VMAC
# again, re-opens its socket on it and comes back as master: VIP on the new
# vrrp.63, adverts from the virtual MAC.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=10.99.0.103 VMAC=00:00:5e:00:01:3f
write_conf() { # FILE PRIORITY
	cat >"$1" <<CONF
vrrp_instance VI_M {
	version 3
	state BACKUP
	interface eth0
	use_vmac
	virtual_router_id 63
	priority $2
	advert_int 0.1
	virtual_ipaddress {
		$VIP/24
	}
}
CONF
}
on_vmac() { ip -n "$(ns "$1")" addr show dev vrrp.63 2>/dev/null | grep -q "inet $VIP/"; }
only_on_vmac() { # NODE: it holds the VIP on vrrp.63, the other node does not
	o=$((3 - $1))
	on_vmac "$1" && ! on_vmac "$o"
}
ifindex() { ip -n "$(ns 1)" -o link show dev "$1" 2>/dev/null | cut -d: -f1; }

net_setup 2 || { not_ok "topology"; done_testing; }
write_conf "$T/n1.conf" 150
write_conf "$T/n2.conf" 100
capture_start
start_vigild 1 "$T/n1.conf"
start_vigild 2 "$T/n2.conf"
check "node 1 (150) is master: VIP on its vrrp.63" wait_until 4 only_on_vmac 1
old=$(ifindex vrrp.63)

# Node 1 may make its VMAC again before node 2's Master_Down_Timer (0.36 s)
# runs out: then node 2 never needs to take over. Either way the VIP must
# be held again at once.
back_on_new() { [ -n "$(ifindex vrrp.63)" ] && [ "$(ifindex vrrp.63)" != "$old" ] && on_vmac 1; }
held_again() { on_vmac 2 || back_on_new; }
ip -n "$(ns 1)" link del vrrp.63
check "node 1's vrrp.63 deleted: the VIP is held again (node 2, or node 1 on a new vrrp.63)" \
	wait_until 3 held_again
check "node 1 makes vrrp.63 again and preempts" wait_until 5 only_on_vmac 1
check "on a new interface ($old -> $(ifindex vrrp.63))" \
	eval '[ -n "$(ifindex vrrp.63)" ] && [ "$(ifindex vrrp.63)" != "$old" ]'
check "and stays master" holds_for 1 only_on_vmac 1

ip -n "$(ns 1)" link del eth0
check "node 1's eth0 deleted (vrrp.63 with it): node 2 takes the VIP" wait_until 3 on_vmac 2
node_eth0_add 1
t_new=$(now_ms)
check "eth0 re-created: node 1 is master on a new vrrp.63" wait_until 5 only_on_vmac 1
check "and stays master" holds_for 1 only_on_vmac 1
t_end=$(now_ms)
stop_node 1
stop_node 2
capture_stop

n=$(wire_between "$t_new" "$t_end" "$(advert4 "$(node_ip 1)" 3 63 150) and ether src $VMAC")
check "wire: node 1's adverts from the virtual MAC after the re-creation ($n)" [ "$n" -ge 5 ]
done_testing
