#!/bin/sh
# A VIP deleted behind the master's back (`ip addr del`) comes back, as
# keepalived 2.2.7 brings it back: the master sends a priority-0 advert,
# removes its VIPs and virtual routes, takes over again after its own
# Skew_Time (before the backup's, which is longer) and sets and announces
# everything again. IPv4 and IPv6; then the same for a virtual route with
# `dev` deleted by hand (`ip route del`), and for a virtual rule. vigild and keepalived in the same
# role on the same wire, with the same results. The backup never holds a
# VIP.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

V4=10.99.0.100 V4B=10.99.0.101 V6=fd00:99::100
write_conf() { # FILE PRIORITY
	cat >"$1" <<C
vrrp_instance VI_4 {
	version 3
	interface eth0
	virtual_router_id 61
	priority $2
	advert_int 0.5
	virtual_ipaddress {
		$V4/32
		$V4B/24
	}
	virtual_routes {
		10.55.0.0/24 via 10.99.0.254 dev eth0
	}
	virtual_rules {
		from 10.77.0.0/24 table 100 preference 777
	}
}
vrrp_instance VI_6 {
	version 3
	interface eth0
	virtual_router_id 62
	priority $2
	advert_int 0.5
	virtual_ipaddress {
		$V6/128
	}
}
C
}
master_of_all() { holds 1 $V4 && holds 1 $V4B && holds 1 $V6 && has_route 1 && has_rule 1; }
has_rule() { [ "$(ip -n "$(ns "$1")" rule show pref 777 | wc -l)" = 1 ]; }
has_route() { ip -n "$(ns "$1")" route show 10.55.0.0/24 | grep -q via; }
prio0_after() { # NODE T_MS FAMILY
	f="ip proto 112 and src host $(node_ip "$1")"
	[ "$3" = 6 ] && f="ip6 proto 112 and ether src $(node_mac "$1")"
	wire "$f" | awk -v t="$2" '$1 * 1000 >= t && / prio 0,/' | wc -l
}

net_setup 2 || { not_ok "topology"; done_testing; }
# Far apart, so node 1 (Skew_Time 12 ms) is back long before node 2
# (402 ms) would take over, even on a loaded machine.
write_conf "$T/n1.conf" 250
write_conf "$T/n2.conf" 50
capture_start

for daemon in vigild keepalived; do
	[ $daemon = keepalived ] && [ ! -x "$KEEPALIVED" ] && { ok "# SKIP no keepalived"; continue; }
	start_$daemon 1 "$T/n1.conf"
	sleep 0.5
	start_$daemon 2 "$T/n2.conf"
	check "$daemon: node 1 is master of both" wait_until 5 master_of_all
	sleep 1

	t=$(now_ms)
	ip -n "$(ns 1)" addr del $V4/32 dev eth0
	check "$daemon: $V4 is back on node 1" wait_until 3 holds 1 $V4
	check "$daemon: the virtual route is back" wait_until 2 has_route 1
	check "$daemon: $V4B is there" holds 1 $V4B
	check "$daemon: node 2 holds no VIP" [ "$(holders $V4)$(holders $V4B)" = 11 ]
	sleep 0.3
	n=$(prio0_after 1 "$t" 4)
	check "$daemon wire: node 1 gave VI_4 up with a priority-0 advert ($n)" [ "$n" -ge 1 ]
	n=$(wire "$(garp_for $V4 "$(node_mac 1)")" | awk -v t="$t" '$1 * 1000 >= t' | wc -l)
	check "$daemon wire: and announced $V4 again ($n)" [ "$n" -ge 1 ]
	n=$(wire "ip proto 112 and src host $(node_ip 2)" | awk -v t="$t" '$1 * 1000 >= t' | wc -l)
	# keepalived's backup sometimes answers once in between (its
	# master comes back a little later than Skew_Time); vigild's never.
	if [ $daemon = vigild ]; then
		check "$daemon wire: node 2 sent no advert ($n)" [ "$n" -eq 0 ]
	else
		echo "# keepalived: node 2 sent $n advert(s) meanwhile"
	fi

	t=$(now_ms)
	ip -n "$(ns 1)" addr del $V6/128 dev eth0
	check "$daemon: $V6 is back on node 1" wait_until 3 holds 1 $V6
	sleep 0.3
	n=$(prio0_after 1 "$t" 6)
	check "$daemon wire: node 1 gave VI_6 up with a priority-0 advert ($n)" [ "$n" -ge 1 ]
	n=$(wire "$(na_for 0x00000100 "$(node_mac 1)")" | awk -v t="$t" '$1 * 1000 >= t' | wc -l)
	check "$daemon wire: and announced $V6 again ($n)" [ "$n" -ge 1 ]
	n=$(wire "ip6 proto 112 and ether src $(node_mac 2)" | awk -v t="$t" '$1 * 1000 >= t' | wc -l)
	check "$daemon wire: node 2 sent no advert ($n)" [ "$n" -eq 0 ]
	check "$daemon: node 1 holds everything again" master_of_all

	sleep 1
	t=$(now_ms)
	ip -n "$(ns 1)" route del 10.55.0.0/24
	check "$daemon: the virtual route deleted by hand is back" wait_until 3 has_route 1
	sleep 0.5
	n=$(prio0_after 1 "$t" 4)
	check "$daemon wire: node 1 gave VI_4 up with a priority-0 advert ($n)" [ "$n" -ge 1 ]
	check "$daemon: node 1 holds everything again" wait_until 2 master_of_all

	sleep 1
	t=$(now_ms)
	ip -n "$(ns 1)" rule del pref 777
	check "$daemon: the virtual rule deleted by hand is back (once)" wait_until 3 has_rule 1
	sleep 0.5
	n=$(prio0_after 1 "$t" 4)
	check "$daemon wire: node 1 gave VI_4 up with a priority-0 advert ($n)" [ "$n" -ge 1 ]
	check "$daemon: node 1 holds everything again" wait_until 2 master_of_all

	stop_node 2
	stop_node 1
	sleep 0.5
done
capture_stop
done_testing
