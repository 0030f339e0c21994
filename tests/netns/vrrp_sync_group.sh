#!/bin/sh
# vrrp_sync_group: two instances move together. Two vigild nodes, each with
# VI_1 (VRID 51) and VI_2 (VRID 52) in sync group G1 (v3, advert_int 0.1;
# node 1 at 150, node 2 at 100). Only VI_1 of node 1 tracks its link up1;
# when up1 loses its carrier, VI_1 goes to FAULT and takes VI_2 with it:
# node 2 holds both VIPs. When up1 is back, node 1 preempts on both VRIDs
# in the same instant. The group's notify_fault/notify_master/notify
# (GROUP G1 STATE 0) run, every change is a line on vrrp_notify_fifo
# (keepalived's format), and on stop notify_stop runs for the instances
# and the group and the FIFO vigild created is removed.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP1=10.99.0.100 VIP2=10.99.0.101
printf '#!/bin/sh\nf=$1; shift\necho "$*" >>"$f"\n' >"$T/notify.sh"
chmod 755 "$T/notify.sh"
write_conf() { # FILE NODE PRIORITY TRACK
	cat >"$1" <<CONF
global_defs {
	vrrp_notify_fifo $T/fifo.$2
}
vrrp_sync_group G1 {
	group {
		VI_1
		VI_2
	}
	notify_master "$T/notify.sh $T/group.$2 master"
	notify_backup "$T/notify.sh $T/group.$2 backup"
	notify_fault "$T/notify.sh $T/group.$2 fault"
	notify_stop "$T/notify.sh $T/stop.$2 group-stop"
	notify "$T/notify.sh $T/group.$2"
}
vrrp_instance VI_1 {
	version 3
	interface eth0
	virtual_router_id 51
	priority $3
	advert_int 0.1
	virtual_ipaddress {
		$VIP1/32
	}
	notify_stop "$T/notify.sh $T/stop.$2 vi1-stop"
$4
}
vrrp_instance VI_2 {
	version 3
	interface eth0
	virtual_router_id 52
	priority $3
	advert_int 0.1
	virtual_ipaddress {
		$VIP2/32
	}
}
CONF
}
notified() { grep -q -x -- "$2" "$T/$1" 2>/dev/null; }
both() { holds "$1" $VIP1 && holds "$1" $VIP2 && ! holds "$2" $VIP1 && ! holds "$2" $VIP2; }
# Never one VIP without the other on node 1 (polled).
split_seen=0
node1_split() { [ "$(holds 1 $VIP1 && echo y)" != "$(holds 1 $VIP2 && echo y)" ]; }

net_setup 2 || { not_ok "topology"; done_testing; }
N1=$(ns 1)
ip -n "$N1" link add up1 type veth peer name up1-peer
ip -n "$N1" link set up1 up
ip -n "$N1" link set up1-peer up
write_conf "$T/n1.conf" 1 150 "	track_interface {
		up1
	}"
write_conf "$T/n2.conf" 2 100 ""
capture_start

start_vigild 1 "$T/n1.conf"
check "node 1 creates its notify FIFO" wait_until 2 test -p "$T/fifo.1"
cat "$T/fifo.1" >"$T/fifo.1.out" &
fifo_reader=$!
started_pids="$started_pids $fifo_reader"
check "node 1 (150) is master of both VRIDs" wait_until 3 both 1 2
start_vigild 2 "$T/n2.conf"
check "node 2 (100) stays backup on both" holds_for 1 both 1 2
check "group G1 of node 1 ran notify_master and notify GROUP G1 MASTER 0" \
	wait_until 2 eval 'notified group.1 master && notified group.1 "GROUP G1 MASTER 0"'
check "group G1 of node 2 ran notify_backup" wait_until 2 notified group.2 backup

t_down=$(now_ms)
ip -n "$N1" link set up1-peer down
check "up1 down: node 2 takes both VIPs (VI_2 follows VI_1 into FAULT)" \
	wait_until 3 both 2 1
check "node 2 keeps both while up1 is down" holds_for 1 both 2 1
check "group G1 of node 1 ran notify_fault and notify GROUP G1 FAULT 0" \
	wait_until 2 eval 'notified group.1 fault && notified group.1 "GROUP G1 FAULT 0"'
check "group G1 of node 2 ran notify_master" wait_until 2 notified group.2 master
t_up=$(now_ms)
ip -n "$N1" link set up1-peer up
deadline=$(($(now_ms) + 3000))
until both 1 2 || [ "$(now_ms)" -ge "$deadline" ]; do
	node1_split && split_seen=$((split_seen + 1))
	sleep 0.01
done
check "up1 back: node 1 preempts on both VRIDs" both 1 2
check "node 1 never held one VIP without the other on the way back ($split_seen samples)" \
	[ "$split_seen" -le 1 ]
check "node 1 keeps both" holds_for 0.5 both 1 2
stop_node 2
stop_node 1
capture_stop
wait "$fifo_reader" 2>/dev/null

check "notify_stop ran for VI_1 and for the group on node 1" \
	eval 'notified stop.1 vi1-stop && notified stop.1 group-stop'
check "node 1 removed the FIFO it created" [ ! -e "$T/fifo.1" ]
for line in 'INSTANCE "VI_1" MASTER 150' 'INSTANCE "VI_2" MASTER 150' 'GROUP "G1" MASTER 0' \
	'INSTANCE "VI_1" FAULT 150' 'INSTANCE "VI_2" FAULT 150' 'GROUP "G1" FAULT 0' \
	'GROUP "G1" BACKUP 0' 'INSTANCE "VI_1" STOP 150' 'GROUP "G1" STOP 0'; do
	check "vrrp_notify_fifo: $line" grep -q -x -- "$line" "$T/fifo.1.out"
done
check "vrrp_notify_fifo: FAULT comes before the next MASTER" \
	sh -c "grep -n -x 'GROUP \"G1\" FAULT 0' '$T/fifo.1.out' | head -1 | cut -d: -f1 |
		{ read f; m=\$(grep -n -x 'GROUP \"G1\" MASTER 0' '$T/fifo.1.out' | tail -1 | cut -d: -f1);
		  [ \"\$f\" -lt \"\$m\" ]; }"

A1=$(node_ip 1) A2=$(node_ip 2)
n=$(wire_between "$((t_down + 500))" "$t_up" "$(advert_any "$A1")")
check "wire: node 1 sent nothing for either VRID while in FAULT ($n)" [ "$n" -eq 0 ]
n51=$(wire_between "$t_down" "$t_up" "$(advert4 "$A2" 3 51 100)")
n52=$(wire_between "$t_down" "$t_up" "$(advert4 "$A2" 3 52 100)")
check "wire: node 2 advertised both VRIDs meanwhile ($n51, $n52)" [ "$n51" -ge 5 -a "$n52" -ge 5 ]
f51=$(first_after "$t_up" "$(advert4 "$A1" 3 51 150)")
f52=$(first_after "$t_up" "$(advert4 "$A1" 3 52 150)")
ms=$(ms_between "${f51:-0}" "${f52:-0}")
ms=${ms#-}
check "wire: node 1's first adverts for VRID 51 and 52 after recovery are ${ms} ms apart (< 100)" \
	in_range "$ms" 0 99
done_testing
