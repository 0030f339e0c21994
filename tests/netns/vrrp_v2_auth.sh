#!/bin/sh
# VRRPv2 with PASS authentication and nopreempt: the adverts carry auth
# type 1 and the password; a node restarted with nopreempt and the higher
# priority does not take the VIP back; one with a wrong password is not
# listened to.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=10.99.0.100
write_conf() { # FILE PRIORITY PASSWORD [nopreempt]
	cat >"$1" <<CONF
vrrp_instance VI_1 {
	version 2
	state BACKUP
	${4:-}
	interface eth0
	virtual_router_id 53
	priority $2
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass $3
	}
	virtual_ipaddress {
		$VIP/32
	}
}
CONF
}

net_setup 3 || { not_ok "topology"; done_testing; }
write_conf "$T/n1.conf" 150 s3cret nopreempt
write_conf "$T/n2.conf" 100 s3cret
write_conf "$T/n3.conf" 200 wr0ng
capture_start

start_vigild 1 "$T/n1.conf"
check "node 1 (150) becomes master" wait_until 5 only_holder 1 $VIP
start_vigild 2 "$T/n2.conf"
check "node 2 (100) stays backup" holds_for 1 only_holder 1 $VIP

kill_node 1
check "SIGKILL of node 1: node 2 takes the VIP" wait_until 5 holds 2 $VIP
ip -n "$(ns 1)" addr del $VIP/32 dev eth0 2>/dev/null # what a SIGKILL leaves
start_vigild 1 "$T/n1.conf"
# Longer than node 1's master-down interval (3 x 1 s + 0.41 s).
check "node 1 restarted with nopreempt leaves the VIP on node 2" holds_for 4.5 only_holder 2 $VIP

# A router with the wrong password and a higher priority: node 2 ignores
# its adverts and stays master (node 3, hearing nobody, claims it too).
start_vigild 3 "$T/n3.conf"
check "node 3 (200, wrong password) claims the VIP for itself" wait_until 5 holds 3 $VIP
check "node 2 ignores node 3's adverts and keeps the VIP" holds_for 1.5 holds 2 $VIP
check "node 1 stays backup" holds_for 0.1 eval '! holds 1 $VIP'
stop_node 3
stop_node 2
check "SIGTERM of node 2: node 1 takes over" wait_until 3 only_holder 1 $VIP
stop_node 1
capture_stop

A1=$(node_ip 1) A2=$(node_ip 2)
auth="ip[24] = 1 and ip[25] = 1 and ip[32:4] = 0x73336372 and ip[36:4] = 0x65740000"
n=$(wire_count "$(advert4 "$A1" 2 53 150) and $auth")
check "wire: node 1's v2 adverts carry PASS and 's3cret' ($n)" [ "$n" -ge 2 ]
n=$(wire_count "$(advert4 "$A2" 2 53 100) and $auth")
check "wire: node 2's v2 adverts carry PASS and 's3cret' ($n)" [ "$n" -ge 2 ]
n=$(wire_count "$(advert_any "$A1") and not ($auth)")
check "wire: no advert of node 1 without them ($n)" [ "$n" -eq 0 ]
n=$(grep -c "auth_mismatch" "$T/n2.log")
check "node 2 counted node 3's adverts as auth_mismatch (logged $n times, rate-limited)" [ "$n" -ge 1 ]
done_testing
