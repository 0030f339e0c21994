#!/bin/sh
# Accept_Mode (RFC 9568 §6.1): two vigild nodes and a client (node 3, no
# daemon) on one bridge; VRRPv3 instances for an IPv4 and an IPv6 VIP.
#
# With no_accept, the master holds both VIPs but drops what is addressed to
# them: from the client, ping and a TCP connect to the VIP get no answer
# while the same to the master's own address does; the drop rule's counter
# in `nft list table ip vigil` grows; `ipset list vigil` / `vigil6` hold
# exactly the master's VIPs; neighbour discovery for the IPv6 VIP still
# works. A reload that raises the backup's priority moves the VIPs and the
# block: the new master's sets hold them, the old master's no longer do.
# SIGKILL leaves table and sets behind; the restarted vigild takes them over
# and blocks again, and unblocks what none of its instances owns. Reloads
# flipping accept move the VIPs out of and back into the sets; a new
# nftables_priority rebuilds the tables. A clean stop leaves no vigil table or set. With accept
# (and no instance without it) the same connect succeeds and no table is
# made; global vrrp_strict blocks like no_accept; vrrp_ipsets names the
# sets; a link-local VIP is blocked through vigil_if6, with its interface.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root
command -v nft >/dev/null && command -v ipset >/dev/null && command -v socat >/dev/null ||
	skip_all "needs nft, ipset and socat"

VIP=10.99.0.100
VIP6=fd00:99::100
PORT=8080
write_conf() { # FILE PRIORITY MODE [GLOBAL]
	cat >"$1" <<CONF
global_defs {
	router_id node$2
	nftables_counters
	$4
}
vrrp_instance VI_4 {
	version 3
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 0.1
	$3
	virtual_ipaddress {
		$VIP/32
	}
}
vrrp_instance VI_6 {
	version 3
	state BACKUP
	interface eth0
	virtual_router_id 52
	priority $2
	advert_int 0.1
	$3
	virtual_ipaddress {
		$VIP6/128
	}
}
CONF
}
CLIENT=3
in_ns() { n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }
# A TCP server on a node: answers "vigil" on any address, both families.
serve() {
	ip netns exec "$(ns "$1")" socat TCP6-LISTEN:$PORT,ipv6only=0,fork,reuseaddr \
		SYSTEM:'echo vigil' </dev/null >/dev/null 2>&1 &
	started_pids="$started_pids $!"
}
# One TCP connect from the client (2 s to connect: a SYN and its retry).
served() { in_ns $CLIENT socat -T3 -u "TCP:$1:$PORT,connect-timeout=2" - 2>/dev/null | grep -q vigil; }
served6() { in_ns $CLIENT socat -T3 -u "TCP6:[$1]:$PORT,connect-timeout=2" - 2>/dev/null | grep -q vigil; }
pings() { in_ns $CLIENT ping -n -q -c1 -W1 "$1" >/dev/null 2>&1; }
not_served() { ! served "$1"; }
not_pings() { ! pings "$1"; }
# in_set NODE SET ADDR: the node's ipset SET lists ADDR.
in_set() { in_ns "$1" ipset list "$2" 2>/dev/null | grep -q -x "$3"; }
not_in_set() { ! in_set "$@"; }
# dropped NODE FAMILY: packets counted by the drop rule of chain "in".
dropped() {
	in_ns "$1" nft list chain "$2" vigil in 2>/dev/null |
		awk '/xt match set/ { for (i = 1; i < NF; i++) if ($i == "packets") s += $(i + 1) }
			END { print s + 0 }'
}
# no_leftovers NODE: no vigil table in either family, no vigil ipset.
no_leftovers() {
	! in_ns "$1" nft list tables 2>/dev/null | grep -q -w vigil &&
		! in_ns "$1" ipset list -n 2>/dev/null | grep -q -x -E 'vigil(6|_if6)?'
}
tables_once() { [ "$(in_ns "$1" nft list tables | grep -c -x "table ip vigil")" = 1 ]; }
gen2=1
reload2() {
	gen2=$((gen2 + 1))
	kill -HUP "$(node_pid 2)"
	wait_until 5 grep -q "runs generation $gen2" "$T/n2.log"
}

net_setup 3 || { not_ok "topology"; done_testing; }
serve 1
serve 2
check "control: the client reaches node 1's own address (TCP)" wait_until 5 served "$(node_ip 1)"

# --- no_accept ----------------------------------------------------------------
write_conf "$T/n1.conf" 150 no_accept
write_conf "$T/n2.conf" 100 no_accept
start_vigild 1 "$T/n1.conf"
start_vigild 2 "$T/n2.conf"
check "no_accept: node 1 (priority 150) becomes master of both VIPs" \
	wait_until 3 eval "only_holder 1 $VIP && only_holder 1 $VIP6"
check "node 1's ipset vigil holds the IPv4 VIP" wait_until 1 in_set 1 vigil $VIP
check "node 1's ipset vigil6 holds the IPv6 VIP" in_set 1 vigil6 $VIP6
check "node 2 (backup) has the sets, without the VIPs" \
	eval "in_ns 2 ipset list -n | grep -q -x vigil && not_in_set 2 vigil $VIP && not_in_set 2 vigil6 $VIP6"
before=$(dropped 1 ip)
check "client: TCP connect to the IPv4 VIP gets no answer" not_served $VIP
check "client: ping to the IPv4 VIP gets no answer" not_pings $VIP
after=$(dropped 1 ip)
check "node 1's nftables drop counter grew (${before:-none} -> ${after:-none})" \
	[ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ]
check "control: the same TCP connect to node 1's own address succeeds" wait_until 5 served "$(node_ip 1)"
check "control: ping to node 1's own address answers" wait_until 5 pings "$(node_ip 1)"
before6=$(dropped 1 ip6)
check "client: TCP connect to the IPv6 VIP gets no answer" eval "! served6 $VIP6"
check "client: ping to the IPv6 VIP gets no answer" not_pings $VIP6
after6=$(dropped 1 ip6)
check "node 1's ip6 drop counter grew (${before6:-none} -> ${after6:-none})" \
	[ -n "$before6" ] && [ -n "$after6" ] && [ "$after6" -gt "$before6" ]
check "neighbour discovery for the IPv6 VIP still answers (client learnt node 1's MAC)" \
	eval "in_ns $CLIENT ip -6 neigh show $VIP6 | grep -q -i 'lladdr $(node_mac 1)'"
check "control: TCP to node 1's own IPv6 address succeeds" wait_until 5 served6 "$(node_ip6 1)"

# --- takeover by reload ---------------------------------------------------------
write_conf "$T/n2.conf" 200 no_accept
check "node 2 reloads with priority 200" reload2
check "node 2 preempts: it holds both VIPs" \
	wait_until 3 eval "only_holder 2 $VIP && only_holder 2 $VIP6"
check "the new master's sets hold the VIPs" \
	wait_until 1 eval "in_set 2 vigil $VIP && in_set 2 vigil6 $VIP6"
check "the old master's sets no longer do" \
	eval "not_in_set 1 vigil $VIP && not_in_set 1 vigil6 $VIP6"
check "client: the VIP is still blocked, now by node 2" not_served $VIP
check "node 2's drop counter counted it" eval '[ "$(dropped 2 ip)" -gt 0 ]'

# --- SIGKILL, then a restart takes the leftovers over ----------------------------
kill_node 2
check "SIGKILL of node 2 left its table and sets (VIP still listed)" \
	eval "tables_once 2 && in_set 2 vigil $VIP"
check "node 1 takes the VIPs back and blocks them" \
	wait_until 3 eval "holds 1 $VIP && in_set 1 vigil $VIP"
start_vigild 2 "$T/n2.conf"
gen2=1 # a new vigild counts its generations from 1
check "restarted node 2 preempts and blocks again" \
	wait_until 3 eval "only_holder 2 $VIP && only_holder 2 $VIP6 && in_set 2 vigil $VIP"
check "node 2 took the old table over: one table ip vigil, no error logged" \
	eval "tables_once 2 && ! grep -q 'no_accept: cannot' $T/n2.log"
check "node 1 unblocked the VIP it gave up" not_in_set 1 vigil $VIP
check "client: the VIP is blocked" not_pings $VIP
# Something no instance owns in node 1's set (as an instance removed while
# vigild was dead would leave): a restart unblocks it, keeps the rest.
in_ns 1 ipset add vigil 10.99.0.222
kill_node 1
start_vigild 1 "$T/n1.conf"
check "restart: what no instance owns is unblocked, logged" \
	wait_until 3 eval "not_in_set 1 vigil 10.99.0.222 && grep -q 'unblocked 1 address' $T/n1.log"
check "restart: node 1 stays backup, node 2 keeps blocking" \
	holds_for 0.5 eval "only_holder 2 $VIP && in_set 2 vigil $VIP && not_in_set 1 vigil $VIP"

# --- reloads: accept flipped, nftables settings changed ------------------------
write_conf "$T/n2.conf" 200 accept
check "reload of node 2 to accept: applied" reload2
check "accept by reload: the master's VIPs leave its sets, it keeps them" \
	wait_until 1 eval "not_in_set 2 vigil $VIP && not_in_set 2 vigil6 $VIP6 && only_holder 2 $VIP"
check "accept by reload: the client's TCP connect to the VIP succeeds" wait_until 5 served $VIP
write_conf "$T/n2.conf" 200 no_accept "nftables_priority -5"
check "reload of node 2 to no_accept with nftables_priority -5: applied" reload2
check "no_accept again: the VIPs are back in the sets, the connect gets no answer" \
	eval "in_set 2 vigil $VIP && in_set 2 vigil6 $VIP6 && not_served $VIP"
check "the tables were rebuilt at priority -5, still once" \
	eval "in_ns 2 nft list chain ip vigil in | grep -q 'priority filter - 5' && tables_once 2"

# --- clean stop -----------------------------------------------------------------
stop_node 2
stop_node 1
check "clean stop: no vigil table or set left on node 1" no_leftovers 1
check "clean stop: no vigil table or set left on node 2" no_leftovers 2

# --- accept -----------------------------------------------------------------------
write_conf "$T/n1.conf" 150 accept
write_conf "$T/n2.conf" 100 accept
start_vigild 1 "$T/n1.conf"
start_vigild 2 "$T/n2.conf"
check "accept: node 1 becomes master of both VIPs" \
	wait_until 3 eval "only_holder 1 $VIP && only_holder 1 $VIP6"
check "accept: the client's TCP connect to the IPv4 VIP succeeds" wait_until 5 served $VIP
check "accept: ping to the IPv4 VIP answers" wait_until 5 pings $VIP
check "accept: TCP connect to the IPv6 VIP succeeds" wait_until 5 served6 $VIP6
check "accept: no instance blocks, so no table or set was made" no_leftovers 1
stop_node 2
stop_node 1

# --- vrrp_strict --------------------------------------------------------------------
write_conf "$T/n1.conf" 150 "" vrrp_strict
start_vigild 1 "$T/n1.conf"
check "vrrp_strict (no accept): node 1 becomes master" wait_until 3 only_holder 1 $VIP
check "vrrp_strict: the VIP is in the set" wait_until 1 in_set 1 vigil $VIP
check "vrrp_strict: client TCP connect to the VIP gets no answer" not_served $VIP
stop_node 1
check "vrrp_strict: clean stop leaves nothing" no_leftovers 1

# --- vrrp_ipsets: keepalived's names, the IPv6 set's derived -------------------------
write_conf "$T/n1.conf" 150 no_accept "vrrp_ipsets blk"
start_vigild 1 "$T/n1.conf"
check "vrrp_ipsets blk: node 1 becomes master" wait_until 3 only_holder 1 $VIP
check "vrrp_ipsets blk: the VIPs are in ipsets blk and blk6" \
	eval 'wait_until 1 in_set 1 blk $VIP && wait_until 1 in_set 1 blk6 $VIP6'
check "vrrp_ipsets blk: no set vigil or vigil6" \
	eval '! in_ns 1 ipset list -n | grep -q -x -E "vigil6?"'
check "vrrp_ipsets blk: client TCP connect to the VIP gets no answer" not_served $VIP
check "vrrp_ipsets blk: nor to the IPv6 VIP" eval '! served6 $VIP6'
stop_node 1
check "vrrp_ipsets blk: clean stop destroys blk, blk6 and blk_if6" \
	eval '! in_ns 1 ipset list -n | grep -q -x -E "blk(6|_if6)?" && no_leftovers 1'

# --- a link-local VIP: blocked with its interface, as keepalived keys it ------------
LL=fe80::100
cat >"$T/ll.conf" <<CONF
global_defs {
	router_id node1
}
vrrp_instance VI_L {
	state BACKUP
	interface eth0
	virtual_router_id 53
	priority 150
	advert_int 0.1
	no_accept
	virtual_ipaddress {
		$LL/64 dev eth0
	}
}
CONF
ll_held() { ip -n "$(ns 1)" -6 addr show dev eth0 | grep -q "inet6 $LL/64"; }
own_ll=$(ip -n "$(ns 1)" -6 addr show dev eth0 scope link | awk '/inet6/ { sub("/.*", "", $2); print $2; exit }')
start_vigild 1 "$T/ll.conf"
check "link-local VIP: node 1 becomes master and holds $LL" wait_until 3 ll_held
check "link-local VIP: in ipset vigil_if6 with its interface, not in vigil6" \
	eval 'wait_until 1 in_set 1 vigil_if6 "$LL,eth0" && not_in_set 1 vigil6 $LL'
check "link-local VIP: client TCP connect to $LL%eth0 gets no answer" eval '! served6 "$LL%eth0"'
check "link-local VIP: ping gets no answer" eval '! pings "$LL%eth0"'
check "control: TCP to node 1's own link-local ($own_ll) succeeds" served6 "$own_ll%eth0"
stop_node 1
check "link-local VIP: clean stop leaves nothing" no_leftovers 1
done_testing
