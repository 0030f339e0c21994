#!/bin/sh
# use_vmac and vmac_xmit_base: two vigild routers and a client on one
# bridge. Three VRRPv3 instances: VRID 52 (IPv4) and 53 (IPv6) with use_vmac,
# 54 (IPv4) with use_vmac and vmac_xmit_base.
#
# The master has macvlans vrrp.52/53/54 (mode private, MAC
# 00:00:5e:00:0{1,2}:VRID) carrying the VIPs; on the wire its adverts and
# GARP/NA come from the virtual MAC (VRID 54's adverts from the base MAC);
# the client's neighbour entry for a VIP is the virtual MAC and stays so
# when the VIP moves on SIGKILL; the macvlan survives a reload, is adopted
# by a restarted vigild, goes when a reload drops use_vmac and on a clean
# stop, and the sysctls are set and given back. Last, keepalived 2.2.7 with
# the same configuration as the peer: one master.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=10.99.0.100 VIP6=fd00:99::100 VIPX=10.99.0.101
MAC52=00:00:5e:00:01:34 MAC53=00:00:5e:00:02:35 MAC54=00:00:5e:00:01:36
CLIENT=3

write_conf() { # FILE PRIORITY [novmac]: VRID 52 without use_vmac
	if [ "${3:-}" = novmac ]; then vmac52=""; else vmac52="use_vmac"; fi
	cat >"$1" <<CONF
global_defs {
	router_id prio$2
	vrrp_garp_master_delay 0
}
vrrp_instance VI_4 {
	version 3
	state BACKUP
	interface eth0
	$vmac52
	virtual_router_id 52
	priority $2
	advert_int 0.1
	virtual_ipaddress {
		$VIP/24
	}
}
vrrp_instance VI_6 {
	version 3
	state BACKUP
	interface eth0
	use_vmac
	virtual_router_id 53
	priority $2
	advert_int 0.1
	virtual_ipaddress {
		$VIP6/64
	}
}
vrrp_instance VI_X {
	version 3
	state BACKUP
	interface eth0
	use_vmac
	vmac_xmit_base
	virtual_router_id 54
	priority $2
	advert_int 0.1
	virtual_ipaddress {
		$VIPX/24
	}
}
CONF
}

# on NODE DEV ADDR: the node's DEV carries ADDR.
on() { ip -n "$(ns "$1")" addr show dev "$2" 2>/dev/null | grep -q "inet6\? $3/"; }
# anywhere NODE ADDR: some interface of the node carries ADDR.
anywhere() { ip -n "$(ns "$1")" addr show 2>/dev/null | grep -q "inet6\? $2/"; }
# only_on NODE DEV ADDR: there, and on no interface of the other router.
only_on() { on "$1" "$2" "$3" && ! anywhere $((3 - $1)) "$3"; }
link_mac() { ip -n "$(ns "$1")" -o link show dev "$2" 2>/dev/null | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'; }
ifindex() { ip -n "$(ns "$1")" -o link show dev "$2" 2>/dev/null | cut -d: -f1; }
has_link() { ip -n "$(ns "$1")" link show dev "$2" >/dev/null 2>&1; }
no_link() { ! has_link "$@"; }
is_private_macvlan_up() {
	ip -n "$(ns "$1")" -d link show dev "$2" 2>/dev/null | grep -q "macvlan mode private" &&
		ip -n "$(ns "$1")" link show dev "$2" | grep -q "<[^>]*,UP[,>]"
}
sysctl4() { ip netns exec "$(ns "$1")" cat "/proc/sys/net/ipv4/conf/$2/$3"; }
vmacs() { ip -n "$(ns "$1")" -o link show | grep -c ' vrrp\.'; }
neigh_mac() {
	ip -n "$(ns $CLIENT)" neigh show "$1" | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}
reach() { # ADDR: the client reaches it (and so resolves its MAC)
	case $1 in *:*) p="ping -6" ;; *) p="ping" ;; esac
	ip netns exec "$(ns $CLIENT)" $p -c 1 -W 1 "$1" >/dev/null 2>&1
}
client_sees() { reach "$1" && [ "$(neigh_mac "$1")" = "$2" ]; }
# reload NODE: SIGHUP, and wait until the parent logs one more generation
# (the assertions are on the kernel).
gens() { grep -c "runs generation" "$T/n$1.log"; }
reload() {
	g=$(gens "$1")
	kill -HUP "$(node_pid "$1")"
	wait_until 5 [ "$(gens "$1")" -gt "$g" ]
}
# What a SIGKILL leaves on node N: its VIPs (removed here, as a dead
# machine would not answer) and its macvlans (kept, to be adopted).
drop_vips() {
	ip -n "$(ns "$1")" addr del $VIP/24 dev vrrp.52 2>/dev/null
	ip -n "$(ns "$1")" addr del $VIP6/64 dev vrrp.53 2>/dev/null
	ip -n "$(ns "$1")" addr del $VIPX/24 dev vrrp.54 2>/dev/null
}

net_setup 3 || { not_ok "topology"; done_testing; }
# Node 1 starts with all.rp_filter 2 and eth0's ARP sysctls off, to see
# keepalived's rp_filter move and the base's sysctls set and given back.
ip netns exec "$(ns 1)" sysctl -qw net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.eth0.rp_filter=0 \
	net.ipv4.conf.eth0.arp_ignore=0 net.ipv4.conf.eth0.arp_filter=0
# As with keepalived 2.2.7, a reply from a VIP to a host of the base's
# subnet leaves by the base interface (its connected route comes first):
# had the router to ARP for the host there, its request ("tell VIP", from
# the base MAC) would rewrite the host's entry for the VIP (docs/vrrp.md).
# The routers know the client already, as routers on a busy LAN do.
for i in 1 2; do
	ip -n "$(ns $i)" neigh replace "$(node_ip $CLIENT)" lladdr "$(node_mac $CLIENT)" \
		dev eth0 nud permanent
done
write_conf "$T/n1.conf" 150
write_conf "$T/n2.conf" 100
capture_start
# IGMP and MLDv2 reports (behind a hop-by-hop header), which lib.sh's
# capture leaves out.
ip netns exec "$NS_SW" tcpdump -i br0 --immediate-mode -U -n -w "$T/mc.pcap" \
	'igmp or (ip6 and ip6[6] = 0 and ip6[48] = 143)' 2>"$T/tcpdump-mc.log" &
mc_pid=$!
started_pids="$started_pids $mc_pid"
wait_until 5 grep -q "listening on" "$T/tcpdump-mc.log"

start_vigild 2 "$T/n2.conf"
check "node 2 alone: master, VIP on its vrrp.52" wait_until 5 only_on 2 vrrp.52 $VIP
start_vigild 1 "$T/n1.conf"
check "node 1 (150) preempts: VIP on its vrrp.52, not on eth0" \
	wait_until 5 only_on 1 vrrp.52 $VIP
check "node 1: IPv6 VIP on vrrp.53" wait_until 5 only_on 1 vrrp.53 $VIP6
check "node 1: vmac_xmit_base VIP on vrrp.54" wait_until 5 only_on 1 vrrp.54 $VIPX
check "node 1: VIPs not on the base interface" eval '! on 1 eth0 $VIP && ! on 1 eth0 $VIP6'
for d in vrrp.52:$MAC52 vrrp.53:$MAC53 vrrp.54:$MAC54; do
	dev=${d%%:*} mac=${d#*:}
	check "node 1: $dev is a macvlan, mode private, up" is_private_macvlan_up 1 $dev
	check "node 1: $dev has MAC $mac ($(link_mac 1 $dev))" [ "$(link_mac 1 $dev)" = "$mac" ]
	check "node 2 (backup): $dev is there too, up" is_private_macvlan_up 2 $dev
done
ll1=$(ip -n "$(ns 1)" -6 -o addr show dev eth0 scope link | awk '{ print $4 }')
check "node 1: vrrp.53 carries eth0's link-local ($ll1)" \
	eval 'ip -n "$(ns 1)" -6 -o addr show dev vrrp.53 scope link | grep -q " $ll1 "'
check "node 1: vrrp.54 (vmac_xmit_base) has no link-local" \
	eval '[ -z "$(ip -n "$(ns 1)" -6 -o addr show dev vrrp.54 scope link)" ]'
check "node 1: vrrp.52 has no IPv6" [ "$(ip netns exec "$(ns 1)" cat /proc/sys/net/ipv6/conf/vrrp.52/disable_ipv6)" = 1 ]
check "node 1: vrrp.52 arp_ignore 1, accept_local 1, rp_filter 0" \
	[ "$(sysctl4 1 vrrp.52 arp_ignore)$(sysctl4 1 vrrp.52 accept_local)$(sysctl4 1 vrrp.52 rp_filter)" = 110 ]
check "node 1: eth0 arp_ignore 1, arp_filter 1" \
	[ "$(sysctl4 1 eth0 arp_ignore)$(sysctl4 1 eth0 arp_filter)" = 11 ]
check "node 1: all.rp_filter 2 moved onto eth0 and default, all cleared" \
	[ "$(sysctl4 1 all rp_filter)$(sysctl4 1 eth0 rp_filter)$(sysctl4 1 default rp_filter)" = 022 ]
nft_has() { ip netns exec "$(ns "$1")" nft list table "$2" vigil_vmac 2>/dev/null | grep -q "$3"; }
if ! command -v nft >/dev/null; then
	ok "# SKIP nftables checks: no nft"
else
check "node 1: nftables sends vrrp.52's IGMP reports out of eth0" \
	eval 'nft_has 1 ip "\"vrrp.52\" : \"eth0\"" && nft_has 1 ip "ip protocol igmp .* dup to ip daddr device oif map @vmac_map drop"'
check "node 1: nftables sends vrrp.53's MLD reports out of eth0, drops its router solicitations" \
	eval 'nft_has 1 ip6 "\"vrrp.53\" : \"eth0\"" && nft_has 1 ip6 "mld2-listener-report .* dup to ip6 daddr device oif map @vmac_map drop" && nft_has 1 ip6 "nd-router-solicit .* oif @vmac_set drop"'
fi
check "node 2: no VIP on any interface" eval '! anywhere 2 $VIP && ! anywhere 2 $VIP6'

check "client: the VIP's MAC is the virtual MAC ($(neigh_mac $VIP))" wait_until 5 client_sees $VIP $MAC52
check "client: the IPv6 VIP's MAC is the virtual MAC ($(neigh_mac $VIP6))" \
	wait_until 5 client_sees $VIP6 $MAC53
check "client: the vmac_xmit_base VIP's MAC is its virtual MAC" wait_until 5 client_sees $VIPX $MAC54

idx52=$(ifindex 1 vrrp.52) idx53=$(ifindex 1 vrrp.53)
reload 1
check "reload unchanged: node 1 keeps vrrp.52/53 (same ifindex) and its VIPs" \
	holds_for 0.5 eval '[ "$(ifindex 1 vrrp.52)" = "$idx52" ] && [ "$(ifindex 1 vrrp.53)" = "$idx53" ] && only_on 1 vrrp.52 $VIP'

# The macvlan deleted behind vigild's back: made again, as keepalived does.
idx52=$(ifindex 1 vrrp.52)
ip -n "$(ns 1)" link del vrrp.52
check "node 1's vrrp.52 deleted by hand: made again, the VIP back on it" \
	wait_until 5 eval 'only_on 1 vrrp.52 $VIP && [ "$(ifindex 1 vrrp.52)" != "$idx52" ]'
check "... with its sysctls" \
	[ "$(sysctl4 1 vrrp.52 arp_ignore)$(sysctl4 1 vrrp.52 accept_local)$(sysctl4 1 vrrp.52 rp_filter)" = 110 ]
idx52=$(ifindex 1 vrrp.52)
idx54=$(ifindex 1 vrrp.54)
ip -n "$(ns 1)" link del vrrp.54
check "node 1's vrrp.54 (vmac_xmit_base, adverts on eth0) deleted by hand: made again" \
	wait_until 5 eval 'only_on 1 vrrp.54 $VIPX && [ "$(ifindex 1 vrrp.54)" != "$idx54" ]'

# The base deleted and re-created (keepalived 2.3.3's recovery): the
# macvlans go with it, vigild makes them again, with their sysctls.
ip -n "$(ns 1)" link del eth0
check "node 1's eth0 deleted: its macvlans went with it" no_link 1 vrrp.52
check "... node 2 takes the VIP" wait_until 3 only_on 2 vrrp.52 $VIP
node_eth0_add 1
ip -n "$(ns 1)" neigh replace "$(node_ip $CLIENT)" lladdr "$(node_mac $CLIENT)" dev eth0 nud permanent
check "eth0 back: node 1 makes vrrp.52 again and preempts" wait_until 5 only_on 1 vrrp.52 $VIP
check "... and vrrp.53 with the IPv6 VIP" wait_until 5 only_on 1 vrrp.53 $VIP6
check "... a new vrrp.52 ($(ifindex 1 vrrp.52), was $idx52) with its MAC" \
	eval '[ "$(ifindex 1 vrrp.52)" != "$idx52" ] && [ "$(link_mac 1 vrrp.52)" = $MAC52 ]'
check "... its sysctls and the new eth0's set again" \
	[ "$(sysctl4 1 vrrp.52 arp_ignore)$(sysctl4 1 vrrp.52 accept_local)$(sysctl4 1 vrrp.52 rp_filter)$(sysctl4 1 eth0 arp_ignore)$(sysctl4 1 eth0 arp_filter)" = 11011 ]
check "client: the virtual MAC still" wait_until 3 client_sees $VIP $MAC52

stop_node 1
check "clean stop of node 1: its macvlans are deleted ($(vmacs 1) left)" [ "$(vmacs 1)" = 0 ]
check "clean stop: eth0 arp_ignore/arp_filter given back (0 0)" \
	[ "$(sysctl4 1 eth0 arp_ignore)$(sysctl4 1 eth0 arp_filter)" = 00 ]
check "clean stop: all.rp_filter 2, eth0 and default as before" \
	[ "$(sysctl4 1 all rp_filter)$(sysctl4 1 eth0 rp_filter)$(sysctl4 1 default rp_filter)" = 200 ]
check "clean stop of node 1: node 2 takes the VIP on its vrrp.52" wait_until 3 only_on 2 vrrp.52 $VIP
check "client: same MAC for the VIP after the takeover, and it answers" wait_until 3 client_sees $VIP $MAC52

start_vigild 1 "$T/n1.conf"
check "restarted node 1 preempts: VIP on a new vrrp.52" wait_until 5 only_on 1 vrrp.52 $VIP
wait_until 5 only_on 1 vrrp.53 $VIP6
idx52=$(ifindex 1 vrrp.52) idx53=$(ifindex 1 vrrp.53)
kill_node 1
drop_vips 1
check "SIGKILL of node 1: node 2 takes the VIP on its vrrp.52" wait_until 3 only_on 2 vrrp.52 $VIP
check "SIGKILL of node 1: node 2 takes the IPv6 VIP on its vrrp.53" wait_until 3 only_on 2 vrrp.53 $VIP6
check "client: same MAC for the VIP after the takeover, and it answers" wait_until 3 client_sees $VIP $MAC52
check "client: same MAC for the IPv6 VIP after the takeover" wait_until 3 client_sees $VIP6 $MAC53
check "SIGKILL left node 1's vrrp.52 behind" has_link 1 vrrp.52

start_vigild 1 "$T/n1.conf"
check "restarted node 1 preempts again" wait_until 5 only_on 1 vrrp.52 $VIP
check "restarted node 1 adopted its vrrp.52 and vrrp.53 (same ifindex)" \
	[ "$(ifindex 1 vrrp.52):$(ifindex 1 vrrp.53)" = "$idx52:$idx53" ]
check "client: still the virtual MAC" wait_until 3 client_sees $VIP $MAC52

idx2_53=$(ifindex 2 vrrp.53)
write_conf "$T/n2.conf" 100 novmac
reload 2
check "reload without use_vmac on VRID 52: node 2's vrrp.52 is deleted" wait_until 3 no_link 2 vrrp.52
check "... its vrrp.53 stays (same ifindex)" [ "$(ifindex 2 vrrp.53)" = "$idx2_53" ]

stop_node 1
check "clean stop of node 1: its adopted macvlans are deleted too" [ "$(vmacs 1)" = 0 ]
command -v nft >/dev/null && check "clean stop of node 1: its nftables tables are gone" \
	eval '! ip netns exec "$(ns 1)" nft list tables | grep -q vigil_vmac'
check "node 2 takes over (VIP on eth0 now, VRID 52 without use_vmac)" wait_until 3 only_on 2 eth0 $VIP
stop_node 2
check "clean stop of node 2: its macvlans are deleted" [ "$(vmacs 2)" = 0 ]
capture_stop
kill -INT $mc_pid 2>/dev/null
wait $mc_pid 2>/dev/null

A1=$(node_ip 1) M1=$(node_mac 1)
mc() { tcpdump -r "$T/mc.pcap" -nn "$@" 2>/dev/null | wc -l; }
n=$(mc "igmp and ether src $M1 and src host 0.0.0.0")
check "wire: the macvlans' IGMP reports (no address: 0.0.0.0) leave from the base MAC ($n)" [ "$n" -ge 1 ]
n=$(mc "ether src $MAC52 or ether src $MAC53 or ether src $MAC54")
check "wire: no IGMP/MLD report from a virtual MAC ($n)" [ "$n" = 0 ]
n=$(wire_count "ether src $MAC52 and $(advert4 $A1 3 52 150)")
check "wire: VRID 52 adverts from $MAC52 with node 1's address ($n)" [ "$n" -ge 10 ]
n=$(wire_count "ether src $M1 and $(advert4 $A1 3 52 150)")
check "wire: no VRID 52 advert from node 1's base MAC ($n)" [ "$n" = 0 ]
n=$(wire_count "$(advert6 $MAC53 3 53 150)")
check "wire: VRID 53 (IPv6) adverts from $MAC53 ($n)" [ "$n" -ge 10 ]
n=$(wire_count "$(advert4 $A1 3 54 150) and ether src $M1")
check "wire: vmac_xmit_base: VRID 54 adverts from the base MAC ($n)" [ "$n" -ge 10 ]
n=$(wire_count "ether src $MAC54 and ip proto 112")
check "wire: vmac_xmit_base: no advert from $MAC54 ($n)" [ "$n" = 0 ]
n=$(wire_count "$(garp_for $VIP $MAC52)")
check "wire: GARP for $VIP from $MAC52 ($n)" [ "$n" -ge 2 ]
n=$(wire_count "$(garp_for $VIPX $MAC54)")
check "wire: GARP for $VIPX from $MAC54 (vmac_xmit_base too) ($n)" [ "$n" -ge 1 ]
n=$(wire_count "$(na_for 0x00000100 $MAC53)")
check "wire: unsolicited NA for $VIP6 from $MAC53 ($n)" [ "$n" -ge 1 ]
n=$(wire_count "arp and ether src $M1 and (arp[14:4] = 0x0a630064 or arp[24:4] = 0x0a630064)")
check "wire: node 1's base MAC never spoke ARP for $VIP ($n)" [ "$n" = 0 ]

# --- keepalived 2.2.7 with use_vmac as the peer ------------------------------
if [ -x "$KEEPALIVED" ]; then
	write_conf "$T/n2.conf" 100
	start_keepalived 2 "$T/n2.conf"
	check "interop: keepalived alone: VIP on its vrrp.52" wait_until 5 only_on 2 vrrp.52 $VIP
	start_vigild 1 "$T/n1.conf"
	check "interop: vigild (150) preempts keepalived" wait_until 5 only_on 1 vrrp.52 $VIP
	check "interop: one master, vigild, for 1 s (IPv4 and IPv6)" \
		holds_for 1 eval 'only_on 1 vrrp.52 $VIP && only_on 1 vrrp.53 $VIP6 && only_on 1 vrrp.54 $VIPX'
	check "interop: keepalived's vrrp.52 has the same virtual MAC" [ "$(link_mac 2 vrrp.52)" = "$MAC52" ]
	check "interop: client sees the virtual MAC" wait_until 3 client_sees $VIP $MAC52
	kill_node 1
	drop_vips 1
	check "interop: SIGKILL of vigild: keepalived takes over" wait_until 3 only_on 2 vrrp.52 $VIP
	check "interop: client: same MAC, answered by keepalived's node" wait_until 3 client_sees $VIP $MAC52
	stop_node 2
else
	ok "# SKIP interop: no keepalived at $KEEPALIVED"
fi

# --- names already taken, as keepalived 2.2.7 handles them -------------------
# On node 1 alone: vrrp.62 a foreign macvlan (other MAC), vm63 (use_vmac's
# name) a macvlan with another MAC, vm64 (use_vmac's name) a veth, vrrp.65
# a macvlan with our MAC in bridge mode.
for d in vrrp.52 vrrp.53 vrrp.54; do ip -n "$(ns 1)" link del $d 2>/dev/null; done
n1() { ip -n "$(ns 1)" "$@"; }
taken_setup() {
	for d in vrrp.62 vm63 vm64 vrrp.65; do n1 link del $d 2>/dev/null; done
	n1 link add vrrp.62 link eth0 address 00:00:5e:00:01:99 type macvlan mode private
	n1 link add vm63 link eth0 address 00:00:5e:00:01:98 type macvlan mode private
	n1 link add vm64 type veth peer name vm64p
	n1 link add vrrp.65 link eth0 address 00:00:5e:00:01:41 type macvlan mode bridge
	pre62=$(ifindex 1 vrrp.62) pre63=$(ifindex 1 vm63) pre65=$(ifindex 1 vrrp.65)
}
cat >"$T/taken.conf" <<CONF
global_defs {
	vrrp_garp_master_delay 0
	vrrp_version 3
}
vrrp_instance A {
	interface eth0
	use_vmac
	virtual_router_id 62
	advert_int 0.1
	virtual_ipaddress {
		10.99.0.62/24
	}
}
vrrp_instance B {
	interface eth0
	use_vmac vm63
	virtual_router_id 63
	advert_int 0.1
	virtual_ipaddress {
		10.99.0.63/24
	}
}
vrrp_instance C {
	interface eth0
	use_vmac vm64
	virtual_router_id 64
	advert_int 0.1
	virtual_ipaddress {
		10.99.0.64/24
	}
}
vrrp_instance D {
	interface eth0
	use_vmac
	virtual_router_id 65
	advert_int 0.1
	virtual_ipaddress {
		10.99.0.65/24
	}
}
CONF
# What the names hold, one line each: NAME MAC MODE VIP, the pre-existing
# macvlans flagged with whether they are the same interface as before.
taken_state() {
	for d in vrrp.62 vrrp1.62 vm63 vm64 vrrp.64 vrrp.65 vrrp1.65; do
		has_link 1 $d || continue
		mode=$(n1 -d link show dev $d | sed -n 's/.*macvlan mode \([a-z]*\).*/\1/p')
		vip=$(n1 -o -4 addr show dev $d | awk '{ print $4 }')
		same=
		case $d in
		vrrp.62) [ "$(ifindex 1 $d)" = "$pre62" ] && same=same ;;
		vm63) [ "$(ifindex 1 $d)" = "$pre63" ] && same=same ;;
		vrrp.65) [ "$(ifindex 1 $d)" = "$pre65" ] && same=same ;;
		esac
		mac=$(link_mac 1 $d)
		[ -n "$mode" ] || mac=- # the veth's is random
		echo "$d $mac ${mode:--} ${vip:--} $same"
	done
}
all_vips_taken() { for a in 62 63 64 65; do anywhere 1 10.99.0.$a || return 1; done; }
taken_run() { # DAEMON
	taken_setup
	start_$1 1 "$T/taken.conf"
	wait_until 5 all_vips_taken
	sleep 0.3
	taken_state >"$T/taken-$1.running"
	stop_node 1
	taken_state >"$T/taken-$1.stopped"
	cp "$T/n1.log" "$T/taken-$1.log"
}
taken_run vigild
diag "$T/taken-vigild.running"
check "taken names: a foreign vrrp.62 left as it was, vrrp1.62 made and used" \
	eval 'grep -qx "vrrp.62 00:00:5e:00:01:99 private - same" "$T/taken-vigild.running" &&
		grep -qx "vrrp1.62 00:00:5e:00:01:3e private 10.99.0.62/24 " "$T/taken-vigild.running"'
check "taken names: use_vmac's vm63 updated in place (same ifindex, our MAC, private)" \
	grep -qx "vm63 00:00:5e:00:01:3f private 10.99.0.63/24 same" "$T/taken-vigild.running"
check "taken names: use_vmac's vm64 (a veth) left alone, vrrp.64 used" \
	eval '! grep -q "^vm64 .*10.99" "$T/taken-vigild.running" && grep -qx "vrrp.64 00:00:5e:00:01:40 private 10.99.0.64/24 " "$T/taken-vigild.running"'
check "taken names: vrrp.65 in bridge mode left alone, vrrp1.65 used" \
	eval 'grep -qx "vrrp.65 00:00:5e:00:01:41 bridge - same" "$T/taken-vigild.running" &&
		grep -q "^vrrp1.65 00:00:5e:00:01:41 private 10.99.0.65/24" "$T/taken-vigild.running"'
check "taken names: clean stop deletes what vigild made or updated, leaves the rest" \
	[ "$(awk '{ print $1 }' "$T/taken-vigild.stopped" | tr '\n' ' ')" = "vrrp.62 vm64 vrrp.65 " ]
if [ -x "$KEEPALIVED" ]; then
	taken_run keepalived
	check "taken names: keepalived 2.2.7 ends with the same interfaces, MACs, modes and VIPs" \
		cmp -s "$T/taken-vigild.running" "$T/taken-keepalived.running"
	cmp -s "$T/taken-vigild.running" "$T/taken-keepalived.running" ||
		diff "$T/taken-vigild.running" "$T/taken-keepalived.running" | diag
	check "taken names: and leaves the same after its stop" \
		cmp -s "$T/taken-vigild.stopped" "$T/taken-keepalived.stopped"
fi
done_testing
