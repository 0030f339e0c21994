#!/bin/sh
# auth_type AH, a master hearing a lower-priority master whose sequence
# numbers run ahead of its own (keepalived 2.2.7's vrrp_state_master_rx():
# "Syncing seq_num - Increment seq"): it takes the other's number + 1, so
# its answer carries the other's number + 2, which the lower master accepts
# (it is above its counter) and yields. (vigild answered with + 1 before:
# the wire's number is what this test compares.)
#
# Node 2 (vigild, 100) is backup of node 1 (150) and takes its numbers;
# the bridge isolates the two; node 2 becomes master and counts on; node 1
# restarts (its counter from 0) and becomes master too; the isolation
# ends. Node 1 is vigild, then keepalived in the same role: the same
# answer on the wire.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=10.99.0.100
write_conf() { # FILE PRIORITY
	cat >"$1" <<CONF
global_defs {
	vrrp_garp_master_delay 0
}
vrrp_instance VI_1 {
	version 2
	state BACKUP
	interface eth0
	virtual_router_id 57
	priority $2
	advert_int 1
	authentication {
		auth_type AH
		auth_pass s3cret
	}
	virtual_ipaddress {
		$VIP/32
	}
}
CONF
}

net_setup 2 || { not_ok "topology"; done_testing; }
A1=$(node_ip 1) A2=$(node_ip 2)
TO=6 # Master_Down_Interval at advert 1 s: 3.6 s
write_conf "$T/n1.conf" 150
write_conf "$T/n2.conf" 100
isolate() { # on|off: the bridge forwards nothing between the two nodes
	ip netns exec "$NS_SW" bridge link set dev p1 isolated "$1" &&
		ip netns exec "$NS_SW" bridge link set dev p2 isolated "$1"
}
# The AH adverts of SRC at PRIO, one per line: "time seq".
ah_adverts() {
	tcpdump -r "$PCAP" -nn -tt -x "ip proto 51 and src host $1 and ip[20] = 112 and ip[46] = $2" \
		2>/dev/null | awk '/^[0-9]/ { t = $1 } /0x0010:/ { print t, $8 $9 }' |
		while read -r t h; do echo "$t $((0x$h))"; done
}
start() { # NODE DAEMON
	if [ "$2" = vigild ]; then start_vigild "$1" "$T/n$1.conf"; else start_keepalived "$1" "$T/n$1.conf"; fi
}

k=0
scenario() { # DAEMON of node 1
	dmn=$1 k=$((k + 1))
	PCAP=$T/wire$k.pcap
	capture_start
	start 1 "$dmn"
	check "$dmn: node 1 (150) becomes master" wait_until $TO only_holder 1 $VIP
	start_vigild 2 "$T/n2.conf"
	check "$dmn: node 2 (vigild, 100) accepts its AH adverts and stays backup" holds_for 3 only_holder 1 $VIP
	isolate on
	check "$dmn: isolated, node 2 becomes master too" wait_until $TO holds 2 $VIP
	stop_node 1
	sleep 2 # node 2's numbers run further ahead
	start 1 "$dmn"
	check "$dmn: restarted node 1 (counter from 0) becomes master, isolated" wait_until $TO holds 1 $VIP
	sleep 1
	t=$(now_ms)
	isolate off
	check "$dmn: the isolation over, node 2 yields: one master, node 1" wait_until 4 only_holder 1 $VIP
	check "$dmn: ... and it stays so" holds_for 2 only_holder 1 $VIP
	stop_node 2
	stop_node 1
	capture_stop
	# Node 2's last advert as master (the one node 1 answered: it then
	# yielded), and node 1's answer.
	set -- $(ah_adverts "$A2" 100 | awk -v t="$t" '$1 * 1000 >= t' | tail -1)
	t2=${1:-0} s2=${2:-0}
	set -- $(ah_adverts "$A1" 150 | awk -v t="$t2" '$1 >= t { print; exit }')
	t1=${1:-0} s1=${2:-0}
	ms=$(ms_between "$t2" "$t1")
	echo "# $dmn: node 2's advert seq $s2; node 1's next advert seq $s1, $ms ms later"
	check "$dmn: node 1 answered node 2's lower advert (seq $s2) at once ($ms ms)" \
		eval '[ "$s2" -gt 0 ] && [ "$ms" -ge 0 ] && [ "$ms" -lt 200 ]'
	check "$dmn: ... with sequence number $s2 + 2 ($s1)" [ "$s1" -eq $((s2 + 2)) ]
	cp "$T/n1.log" "$T/n1-$dmn.log.txt"
}

scenario vigild
[ -x "$KEEPALIVED" ] && scenario keepalived
done_testing
