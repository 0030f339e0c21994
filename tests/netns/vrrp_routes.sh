#!/bin/sh
# virtual_routes and virtual_rules follow mastership, static_ipaddress,
# static_routes and static_rules stay, IPv4 and IPv6, read from the kernel
# (ip route show table N, ip rule):
# - the master has every virtual route (gateway + metric, blackhole,
#   unreachable, multipath with weights) and rule (from, to, fwmark), tagged
#   proto keepalived (18); the backup has none;
# - SIGKILL of the master moves them to the backup; the restarted node
#   preempts and takes them back, the other drops them;
# - SIGTERM of the master moves them again, and the stopped node is left
#   without its static entries, as keepalived's stop_vrrp() leaves it;
# - static addresses, routes and rules are on both nodes from the start and
#   stay across every state change (an IPv6 /128 deprecated, as keepalived
#   adds it);
# - a reload that changes two virtual routes (IPv4, IPv6), one static route
#   and one rule removes and adds exactly those four (ip monitor), nothing
#   else;
# - keepalived 2.2.7 given node 1's configuration installs exactly what
#   vigild installed (ip route, ip rule, ip addr), and leaves the same
#   nothing after its SIGTERM.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=10.99.0.100
write_conf() { # FILE NODE PRIORITY [VIRTUAL_METRIC STATIC_METRIC V6_METRIC FWMARK]
	cat >"$1" <<CONF
global_defs {
	router_id node$2
}
static_ipaddress {
	10.98.0.$2/32 dev eth0
	fd00:98::$2/128 dev eth0
}
static_routes {
	10.70.0.0/24 via 10.99.0.254 dev eth0 table 200 metric ${5:-1}
	10.72.0.0/24 via 10.99.0.254 dev eth0 table 200
	fd00:70::/64 via fd00:99::fe dev eth0 table 200
}
static_rules {
	from 10.71.0.0/24 table 200 preference 2000
	from fd00:71::/64 table 200 preference 2001
}
vrrp_instance VI_1 {
	version 3
	state BACKUP
	interface eth0
	virtual_router_id 62
	priority $3
	advert_int 0.1
	virtual_ipaddress {
		$VIP/32
	}
	virtual_routes {
		10.50.0.0/24 via 10.99.0.254 dev eth0 table 100 metric ${4:-5}
		blackhole 10.51.0.0/24 table 100 no_track
		10.52.0.0/24 table 100 nexthop via 10.99.0.253 dev eth0 weight 2 nexthop via 10.99.0.252 dev eth0 weight 3
		fd00:50::/64 via fd00:99::fe dev eth0 table 100 metric ${6:-1024}
		unreachable fd00:51::/64 table 100 no_track
	}
	virtual_rules {
		from 10.60.0.0/24 table 100 preference 1000
		to fd00:60::/64 table 100 preference 1001
		fwmark ${7:-7} table 100 preference 1002
	}
}
CONF
}

r4() { ip -n "$(ns "$1")" -4 route show table "$2" 2>/dev/null; }
r6() { ip -n "$(ns "$1")" -6 route show table "$2" 2>/dev/null; }
rules() { ip -n "$(ns "$1")" -4 rule show; ip -n "$(ns "$1")" -6 rule show; }

# has_virtual NODE: every virtual route and rule, as the kernel shows them.
has_virtual() {
	r4 "$1" 100 | grep -q "^10.50.0.0/24 via 10.99.0.254 dev eth0 proto keepalived metric 5" &&
	r4 "$1" 100 | grep -q "^blackhole 10.51.0.0/24 proto keepalived" &&
	r4 "$1" 100 | grep -A2 "^10.52.0.0/24 proto keepalived" | grep -q "via 10.99.0.253 dev eth0 weight 2" &&
	r4 "$1" 100 | grep -A2 "^10.52.0.0/24 proto keepalived" | grep -q "via 10.99.0.252 dev eth0 weight 3" &&
	r6 "$1" 100 | grep -q "^fd00:50::/64 via fd00:99::fe dev eth0 proto keepalived" &&
	r6 "$1" 100 | grep -q "^unreachable fd00:51::/64 dev lo proto keepalived" &&
	rules "$1" | grep -q "^1000:	from 10.60.0.0/24 lookup 100 proto keepalived" &&
	rules "$1" | grep -q "^1001:	from all to fd00:60::/64 lookup 100 proto keepalived" &&
	rules "$1" | grep -q "^1002:	from all fwmark 0x7 lookup 100 proto keepalived"
}
# has_no_virtual NODE: table 100 is empty and no rule points to it.
has_no_virtual() {
	[ -z "$(r4 "$1" 100)" ] && [ -z "$(r6 "$1" 100)" ] && ! rules "$1" | grep -q "lookup 100"
}
has_static() {
	ip -n "$(ns "$1")" addr show dev eth0 | grep -q "inet 10.98.0.$1/32" &&
	ip -n "$(ns "$1")" addr show dev eth0 | grep -q "inet6 fd00:98::$1/128 .*deprecated" &&
	r4 "$1" 200 | grep -q "^10.70.0.0/24 via 10.99.0.254 dev eth0 proto keepalived metric ${2:-1}" &&
	r4 "$1" 200 | grep -q "^10.72.0.0/24 via 10.99.0.254 dev eth0 proto keepalived" &&
	r6 "$1" 200 | grep -q "^fd00:70::/64 via fd00:99::fe dev eth0 proto keepalived" &&
	rules "$1" | grep -q "^2000:	from 10.71.0.0/24 lookup 200 proto keepalived" &&
	rules "$1" | grep -q "^2001:	from fd00:71::/64 lookup 200 proto keepalived"
}
has_no_static() {
	! ip -n "$(ns "$1")" addr show dev eth0 | grep -q -e "10.98.0.$1/" -e "fd00:98::$1/" &&
	[ -z "$(r4 "$1" 200)" ] && [ -z "$(r6 "$1" 200)" ] && ! rules "$1" | grep -q "lookup 200"
}
both_static() { has_static 1 && has_static 2; }
# snapshot NODE: what a node has of both sets, as ip(8) prints it.
snapshot() {
	r4 "$1" 100; r6 "$1" 100; r4 "$1" 200; r6 "$1" 200
	rules "$1" | grep -e "lookup 100" -e "lookup 200"
	ip -n "$(ns "$1")" addr show dev eth0 | grep -A1 -e "10.98.0.$1/" -e "fd00:98::$1/" |
		sed 's/preferred_lft [0-9]*sec/preferred_lft Nsec/'
}
master_is() { # NODE OTHER
	only_holder "$1" $VIP && has_virtual "$1" && has_no_virtual "$2"
}

net_setup 2 || { not_ok "topology"; done_testing; }
write_conf "$T/n1.conf" 1 150
write_conf "$T/n2.conf" 2 100

start_vigild 1 "$T/n1.conf"
check "node 1 has its static addresses, routes and rules from the start" wait_until 3 has_static 1
check "node 1 becomes master: VIP, virtual routes and rules (proto keepalived)" \
	wait_until 3 has_virtual 1
start_vigild 2 "$T/n2.conf"
check "node 2 has its static entries from the start" wait_until 3 has_static 2
check "node 2 stays backup without any virtual route or rule" holds_for 1 master_is 1 2
snapshot 1 >"$T/vigild.master"
diag "$T/vigild.master"

kill_node 1
check "SIGKILL of node 1: node 2 takes the VIP, the virtual routes and rules" \
	wait_until 3 eval 'holds 2 $VIP && has_virtual 2'
check "node 2's static entries stayed" has_static 2
start_vigild 1 "$T/n1.conf"
check "node 1 restarted preempts: it alone has the virtual routes and rules" \
	wait_until 3 master_is 1 2
check "static entries on both nodes across these changes" both_static

stop_node 1
check "SIGTERM of node 1: node 2 takes the virtual routes and rules" \
	wait_until 3 master_is 2 1
check "the stopped node has no static address, route or rule left (keepalived's stop)" \
	has_no_static 1
check "node 2's static entries stayed" has_static 2

# A reload changing two virtual routes, one static route and one rule on
# the master.
ip -n "$(ns 2)" monitor route rule >"$T/monitor.log" 2>&1 &
started_pids="$started_pids $!"
sleep 0.3
write_conf "$T/n2.conf" 2 100 6 3 2000 8
kill -HUP "$(node_pid 2)"
check "reload: the changed virtual route has its new metric" \
	wait_until 3 eval 'r4 2 100 | grep -q "^10.50.0.0/24 .* metric 6"'
check "reload: the changed static route has its new metric" wait_until 3 has_static 2 3
check "reload: the changed IPv6 route and rule are there" wait_until 3 eval \
	'r6 2 100 | grep -q "^fd00:50::/64 .* metric 2000" && rules 2 | grep -q "^1002:.*fwmark 0x8 lookup 100"'
sleep 0.3
diag "$T/monitor.log"
deleted() { grep "^Deleted" "$T/monitor.log" | grep -q "^Deleted $1"; }
added() { grep -v "^Deleted" "$T/monitor.log" | grep -q "^$1"; }
check "reload: exactly four entries removed" [ "$(grep -c '^Deleted' "$T/monitor.log")" -eq 4 ]
check "reload: the old versions of the changed ones" eval \
	'deleted "10.50.0.0/24 .* metric 5" && deleted "10.70.0.0/24 .* metric 1" &&
	 deleted "fd00:50::/64 .* metric 1024" && deleted "1002:.*fwmark 0x7"'
check "reload: their new versions added" eval \
	'added "10.50.0.0/24 .*metric 6" && added "10.70.0.0/24 .*metric 3" &&
	 added "fd00:50::/64 .* metric 2000" && added "1002:.*fwmark 0x8"'
check "reload: nothing else appeared or went" [ "$(grep -c . "$T/monitor.log")" -eq 8 ]
check "node 2 still has the other virtual routes and rules" \
	eval 'r4 2 100 | grep -q "^blackhole 10.51.0.0/24" && rules 2 | grep -q "^1000:"'
stop_node 2
check "node 2 stopped: no static and no virtual entry left" \
	eval 'has_no_static 2 && has_no_virtual 2'

# keepalived 2.2.7 with node 1's configuration, as master alone: the same
# routes, rules and addresses; and the same nothing after its SIGTERM.
if [ -x "$KEEPALIVED" ]; then
	start_keepalived 1 "$T/n1.conf"
	check "keepalived master: its virtual routes and rules" wait_until 5 has_virtual 1
	sleep 0.5
	snapshot 1 >"$T/keepalived.master"
	check "keepalived installs exactly what vigild installs (ip route, ip rule, ip addr)" \
		cmp -s "$T/vigild.master" "$T/keepalived.master"
	cmp -s "$T/vigild.master" "$T/keepalived.master" ||
		diff "$T/vigild.master" "$T/keepalived.master" | diag
	stop_node 1
	check "keepalived stopped leaves what vigild leaves: nothing" \
		eval 'has_no_static 1 && has_no_virtual 1'
else
	echo "# keepalived not installed: no side-by-side comparison"
fi
done_testing
