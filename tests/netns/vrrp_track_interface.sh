#!/bin/sh
# track_interface and the instance's own interface. Two vigild nodes
# (priority 150 and 100, v3, advert_int 0.1). Node 1 has two extra veth
# links, up1 and up2 (their peers in the same namespace), and tracks
#   up1 (weight 0): carrier lost -> FAULT;
#   up2 weight -60: carrier lost -> priority 90.
# Each time node 2 takes the VIP, and node 1 preempts when the link is back.
# Then node 1's own eth0 loses its carrier (the switch port goes down):
# FAULT, VIP given up; back up: node 1 preempts again.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=10.99.0.100
write_conf() { # FILE PRIORITY TRACK
	cat >"$1" <<CONF
vrrp_instance VI_1 {
	version 3
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 0.1
	virtual_ipaddress {
		$VIP/32
	}
$3
}
CONF
}

net_setup 2 || { not_ok "topology"; done_testing; }
N1=$(ns 1)
for l in up1 up2; do
	ip -n "$N1" link add $l type veth peer name $l-peer
	ip -n "$N1" link set $l up
	ip -n "$N1" link set $l-peer up
done
write_conf "$T/n1.conf" 150 "	track_interface {
		up1
		up2 weight -60
	}"
write_conf "$T/n2.conf" 100 ""
capture_start

start_vigild 1 "$T/n1.conf"
check "node 1 (150, tracked links up) becomes master" wait_until 3 only_holder 1 $VIP
start_vigild 2 "$T/n2.conf"
check "node 2 (100) stays backup" holds_for 1 only_holder 1 $VIP

t_f=$(now_ms)
ip -n "$N1" link set up1-peer down
check "up1 loses its carrier: node 1 in FAULT, node 2 takes the VIP" \
	wait_until 2 only_holder 2 $VIP
check "node 1 stays out while up1 is down" holds_for 1 only_holder 2 $VIP
t_f_end=$(now_ms)
ip -n "$N1" link set up1-peer up
check "up1 back: node 1 preempts" wait_until 3 only_holder 1 $VIP

sleep 0.5
t_w=$(now_ms)
ip -n "$N1" link set up2-peer down
check "up2 (weight -60) loses its carrier: node 2 (100 > 90) takes the VIP" \
	wait_until 3 only_holder 2 $VIP
check "node 2 keeps it while up2 is down" holds_for 1 only_holder 2 $VIP
t_w_end=$(now_ms)
ip -n "$N1" link set up2-peer up
check "up2 back: node 1 (150) preempts" wait_until 3 only_holder 1 $VIP

sleep 0.5
ip -n "$NS_SW" link set p1 down
check "node 1's own eth0 loses its carrier: it gives the VIP up" \
	wait_until 2 eval '! holds 1 $VIP'
check "node 2 takes the VIP" wait_until 3 only_holder 2 $VIP
ip -n "$NS_SW" link set p1 up
check "eth0 back: node 1 preempts" wait_until 5 only_holder 1 $VIP
check "node 1 keeps the VIP" holds_for 0.5 only_holder 1 $VIP
stop_node 2
stop_node 1
capture_stop

A1=$(node_ip 1) A2=$(node_ip 2)
n=$(wire_between "$t_f" "$t_f_end" "$(advert4 "$A1" 3 51 0)")
check "wire: node 1 sent a priority-0 advert on entering FAULT ($n)" [ "$n" -ge 1 ]
n=$(wire_between "$((t_f + 500))" "$t_f_end" "$(advert_any "$A1")")
check "wire: node 1 was silent while up1 was down ($n adverts)" [ "$n" -eq 0 ]
n=$(wire_between "$t_f" "$t_f_end" "$(advert4 "$A2" 3 51 100)")
check "wire: node 2 was master while up1 was down ($n adverts)" [ "$n" -ge 5 ]
n=$(wire_between "$t_w" "$t_w_end" "$(advert4 "$A1" 3 51 90)")
check "wire: node 1 advertised 90 once up2 went down ($n)" [ "$n" -ge 1 ]
n=$(wire_between "$t_w" "$t_w_end" "$(advert4 "$A2" 3 51 100)")
check "wire: node 2 was master while up2 was down ($n adverts)" [ "$n" -ge 5 ]
done_testing
