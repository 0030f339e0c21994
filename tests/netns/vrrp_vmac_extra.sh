#!/bin/sh
# use_vmac extras, vigild and keepalived 2.2.7 in the same roles:
# - garp_extra_if all 1 with a VIP on a second interface (eth1): one GARP
#   for it there every second while master, none more on eth0; as
#   keepalived 2.2.7, nothing periodic for a use_vmac + vmac_xmit_base
#   instance with garp_extra_if 1 (no `all`: only per-address VMACs, which
#   vigil does not make), nor with vmac_garp_intvl (its deprecated name)
#   all 0;
# - a reload changing only the global vmac_prefix keeps the instance and
#   its macvlan vrrp.N (same ifindex, still master, no priority-0 advert),
#   as keepalived 2.2.7 keeps it;
# - VRRPv2 with use_vmac: vigild master advertising version 2 from the
#   virtual MAC, keepalived the backup; takeover on SIGKILL and back.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIPX=10.99.0.101 VIPY=10.99.0.102 VIP2=10.99.0.103 E1=10.98.0.1 E2=10.98.0.2
MAC58=00:00:5e:00:01:3a

write_conf() { # FILE PRIORITY [GLOBAL...]
	f=$1 prio=$2; shift 2
	cat >"$f" <<CONF
global_defs {
	vrrp_garp_master_delay 0
	$*
}
vrrp_instance VI_X {
	version 3
	interface eth0
	garp_extra_if all 1
	virtual_router_id 54
	priority $prio
	advert_int 0.5
	virtual_ipaddress {
		$VIPX/24
		$E1/24 dev eth1
	}
}
vrrp_instance VI_Y {
	version 3
	interface eth0
	use_vmac
	vmac_xmit_base
	garp_extra_if 1
	virtual_router_id 55
	priority $prio
	advert_int 0.5
	virtual_ipaddress {
		$VIPY/24
	}
}
vrrp_instance VI_Z {
	version 3
	interface eth0
	vmac_garp_intvl all 0
	virtual_router_id 56
	priority $prio
	advert_int 0.5
	virtual_ipaddress {
		10.99.0.105/24
		$E2/24 dev eth1
	}
}
CONF
	write_v2 "$prio" >>"$f"
}
write_v2() { # PRIORITY
	prio=$1
	cat <<CONF
vrrp_instance VI_2 {
	version 2
	interface eth0
	use_vmac
	virtual_router_id 58
	priority $prio
	advert_int 1
	virtual_ipaddress {
		$VIP2/24
	}
}
CONF
}
on() { ip -n "$(ns "$1")" addr show dev "$2" 2>/dev/null | grep -q "inet6\? $3/"; }
ifindex() { ip -n "$(ns "$1")" -o link show dev "$2" 2>/dev/null | cut -d: -f1; }
has_link() { ip -n "$(ns "$1")" link show dev "$2" >/dev/null 2>&1; }
all_master_1() { on 1 eth0 $VIPX && on 1 eth1 $E1 && on 1 vrrp.55 $VIPY && on 1 eth1 $E2 && on 1 vrrp.58 $VIP2; }
gens() { grep -c -e "runs generation" -e "Reload complete" "$T/n$1.log"; }

net_setup 2 || { not_ok "topology"; done_testing; }
# eth1 of node 1: a veth whose peer eth1p (same namespace) is captured.
ip -n "$(ns 1)" link add eth1 type veth peer name eth1p
ip -n "$(ns 1)" link set eth1 up
ip -n "$(ns 1)" link set eth1p up
ip netns exec "$(ns 1)" tcpdump -i eth1p --immediate-mode -U -n -s 128 -w "$T/eth1.pcap" arp \
	2>"$T/tcpdump1.log" &
tcpdump1_pid=$!
wait_until 5 grep -q "listening on" "$T/tcpdump1.log"
eth1_garps() { # VIP T0_MS T1_MS
	hex=$(printf '0x%02x%02x%02x%02x' $(echo "$1" | tr . ' '))
	tcpdump -r "$T/eth1.pcap" -nn -tt "arp[14:4] = $hex and arp[24:4] = $hex" 2>/dev/null |
		awk -v a="$2" -v b="$3" '$1 * 1000 >= a && $1 * 1000 < b' | wc -l
}
capture_start
for daemon in vigild keepalived; do
	[ $daemon = keepalived ] && [ ! -x "$KEEPALIVED" ] && { ok "# SKIP no keepalived"; continue; }
	write_conf "$T/n1.conf" 150
	start_$daemon 1 "$T/n1.conf"
	check "$daemon: master of the four, VIPs on eth0, eth1, vrrp.55, vrrp.58" \
		wait_until 6 all_master_1
	sleep 1 # past the first burst
	t0=$(now_ms)
	sleep 4
	t1=$(now_ms)
	sleep 0.3 # the capture's writer
	n=$(eth1_garps $E1 "$t0" "$t1")
	check "$daemon eth1: garp_extra_if all 1: $n GARPs for $E1 in 4 s (4 +-1)" in_range "$n" 3 5
	n=$(eth1_garps $E2 "$t0" "$t1")
	check "$daemon eth1: vmac_garp_intvl all 0: none for $E2 ($n)" [ "$n" -eq 0 ]
	n=$(wire_between "$t0" "$t1" "arp")
	check "$daemon wire: none on eth0, not even from vrrp.55 (xmit_base, no all) ($n)" [ "$n" -eq 0 ]

	# Only the global vmac_prefix changes.
	idx=$(ifindex 1 vrrp.55)
	write_conf "$T/n1.conf" 150 "vmac_prefix vx"
	g=$(gens 1)
	t0=$(now_ms)
	kill -HUP "$(node_pid 1)"
	wait_until 5 [ "$(gens 1)" -gt "$g" ]
	sleep 1.5
	check "$daemon: vmac_prefix reload: vrrp.55 kept (ifindex $idx)" \
		[ "$(ifindex 1 vrrp.55)" = "$idx" ]
	check "$daemon: no vx.55 made" sh -c "! ip -n $(ns 1) link show dev vx.55 >/dev/null 2>&1"
	check "$daemon: still master, the VIPs where they were" all_master_1
	n=$(wire "ip proto 112 and src host $(node_ip 1)" | awk -v t="$t0" '$1 * 1000 >= t && / prio 0,/' | wc -l)
	check "$daemon wire: no priority-0 advert on that reload ($n)" [ "$n" -eq 0 ]
	stop_node 1
	check "$daemon: the macvlans go at stop" sh -c "! ip -n $(ns 1) -o link | grep -q ' vrrp\.'"
	sleep 0.5
done

# VRRPv2 with use_vmac: vigild (150) and keepalived (100).
if [ -x "$KEEPALIVED" ]; then
	write_v2 150 >"$T/n1.conf"
	write_v2 100 >"$T/n2.conf"
	start_vigild 1 "$T/n1.conf"
	check "v2: vigild master, $VIP2 on vrrp.58" wait_until 6 on 1 vrrp.58 $VIP2
	start_keepalived 2 "$T/n2.conf"
	sleep 3
	check "v2: keepalived stays backup (no VIP)" sh -c "! ip -n $(ns 2) addr | grep -q '$VIP2/'"
	t0=$(now_ms)
	sleep 2
	n=$(wire_between "$t0" "$(now_ms)" "ip proto 112 and ether src $MAC58 and ip[20] = 0x21")
	check "v2 wire: version 2 adverts from $MAC58 ($n)" [ "$n" -ge 1 ]
	n=$(wire_between "$t0" "$(now_ms)" "ip proto 112 and ether src $(node_mac 2)")
	check "v2 wire: none from keepalived's node ($n)" [ "$n" -eq 0 ]
	kill_node 1
	ip -n "$(ns 1)" addr del $VIP2/24 dev vrrp.58 2>/dev/null
	check "v2: keepalived takes over on SIGKILL" wait_until 6 on 2 vrrp.58 $VIP2
	start_vigild 1 "$T/n1.conf"
	check "v2: vigild preempts, adopting vrrp.58" wait_until 8 on 1 vrrp.58 $VIP2
	check "v2: keepalived gave the VIP up" wait_until 3 sh -c "! ip -n $(ns 2) addr | grep -q '$VIP2/'"
	stop_node 2
	stop_node 1
fi
capture_stop
kill -INT "$tcpdump1_pid" 2>/dev/null
wait "$tcpdump1_pid" 2>/dev/null
done_testing
