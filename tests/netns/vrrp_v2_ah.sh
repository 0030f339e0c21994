#!/bin/sh
# VRRPv2 with `auth_type AH` between vigild and the real keepalived (Debian's
# 2.2.7), in both roles: each accepts the other's IPsec AH adverts (HMAC-MD5-96
# over the packet, sequence numbers), so there is one master and takeover
# works both ways, multicast and unicast (where the TTL is left out of the
# ICV); a router with the wrong password is not listened to (its adverts
# are counted as auth_failure) and changes nobody's state.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root
[ -x "$KEEPALIVED" ] || skip_all "no keepalived at $KEEPALIVED"

VIP=10.99.0.100
write_conf() { # FILE PRIORITY PASSWORD [UNICAST: SRC PEER]
	uc=""
	[ -n "${4:-}" ] && uc="unicast_src_ip $4
	unicast_peer {
		$5
	}"
	cat >"$1" <<CONF
global_defs {
	router_id node$2
	vrrp_garp_master_delay 0
}
vrrp_instance VI_1 {
	version 2
	state BACKUP
	interface eth0
	virtual_router_id 56
	$uc
	priority $2
	advert_int 1
	authentication {
		auth_type AH
		auth_pass $3
	}
	virtual_ipaddress {
		$VIP/32
	}
}
CONF
}

net_setup 3 || { not_ok "topology"; done_testing; }
capture_start
# Master_Down_Interval at advert 1 s: 3.6 s; keepalived starts AH instances
# as BACKUP, so does this test for both.
TO=6

# keepalived's logs, kept across its restarts (start_keepalived truncates).
ka_keep() { cat "$T/n2.log" >>"$T/ka.log" 2>/dev/null; }

# Node 1 runs vigild, node 2 keepalived.
write_conf "$T/n1.conf" 100 s3cret
write_conf "$T/n2.conf" 150 s3cret
start_keepalived 2 "$T/n2.conf"
check "keepalived (150) alone becomes master" wait_until $TO only_holder 2 $VIP
start_vigild 1 "$T/n1.conf"
check "vigild (100) accepts keepalived's AH adverts: stays backup" holds_for 4.5 only_holder 2 $VIP
stop_node 2
check "SIGTERM of keepalived: vigild takes over" wait_until 3 only_holder 1 $VIP
ka_keep
start_keepalived 2 "$T/n2.conf"
check "restarted keepalived accepts vigild's AH adverts and preempts" wait_until $TO only_holder 2 $VIP
check "one master, keepalived, stays" holds_for 1.5 only_holder 2 $VIP
stop_node 1
stop_node 2
wait_until 3 [ "$(holders $VIP)" = 0 ]

# Roles swapped: vigild 150, keepalived 100.
write_conf "$T/n1.conf" 150 s3cret
write_conf "$T/n2.conf" 100 s3cret
ka_keep
start_vigild 1 "$T/n1.conf"
check "vigild (150) alone becomes master" wait_until $TO only_holder 1 $VIP
start_keepalived 2 "$T/n2.conf"
check "keepalived (100) accepts vigild's AH adverts: stays backup" holds_for 4.5 only_holder 1 $VIP
kill_node 1
check "SIGKILL of vigild: keepalived takes over" wait_until $TO holds 2 $VIP
ip -n "$(ns 1)" addr del $VIP/32 dev eth0 2>/dev/null # what a SIGKILL leaves
start_vigild 1 "$T/n1.conf"
check "restarted vigild accepts keepalived's AH adverts (sequence numbers carried on) and preempts" \
	wait_until $TO only_holder 1 $VIP

# A third router, vigild with the wrong password and priority 200.
write_conf "$T/n3.conf" 200 wr0ng
l3=$(wc -l <"$T/n2.log")
start_vigild 3 "$T/n3.conf"
check "node 3 (200, wrong password) hears nobody and claims the VIP" wait_until $TO holds 3 $VIP
check "vigild (150) ignores node 3's adverts and stays master" holds_for 2 holds 1 $VIP
check "keepalived (100) stays backup" holds_for 0.1 eval '! holds 2 $VIP'
stop_node 3
sleep 1.2 # node 3's last adverts reach keepalived's log
l4=$(wc -l <"$T/n2.log")
stop_node 1
check "SIGTERM of vigild: keepalived takes over" wait_until 3 only_holder 2 $VIP
stop_node 2

cp "$T/n1.log" "$T/n1.wrong.log" # vigild's log of that run
# keepalived's log of that run, node 3's time left out.
n_rej=$(grep -c "IPSEC-AH : invalid" "$T/n2.log")
awk -v a="$l3" -v b="$l4" 'NR <= a || NR > b' "$T/n2.log" >>"$T/ka.log"

# Unicast (the TTL is then left out of the ICV): keepalived 150, vigild 100.
A1=$(node_ip 1) A2=$(node_ip 2) A3=$(node_ip 3)
write_conf "$T/n1.conf" 100 s3cret "$A1" "$A2"
write_conf "$T/n2.conf" 150 s3cret "$A2" "$A1"
start_keepalived 2 "$T/n2.conf"
start_vigild 1 "$T/n1.conf"
check "unicast: keepalived (150) becomes master" wait_until $TO only_holder 2 $VIP
check "unicast: vigild accepts its AH adverts and stays backup" holds_for 4.5 only_holder 2 $VIP
stop_node 2
check "unicast: SIGTERM of keepalived: vigild takes over" wait_until 3 only_holder 1 $VIP
ka_keep
start_keepalived 2 "$T/n2.conf"
check "unicast: restarted keepalived accepts vigild's AH adverts and preempts" \
	wait_until $TO only_holder 2 $VIP
stop_node 1
stop_node 2
capture_stop

# AH on the wire: IP protocol 51, TTL 255, next header 112, payload length
# 4, SPI = the source address; the VRRP header follows at offset 44.
ah() { # SRC VRID PRIO
	spi=$(printf '0x%02x%02x%02x%02x' $(echo "$1" | tr . ' '))
	echo "ip proto 51 and src host $1 and ip[8] = 255 and ip[20] = 112 and ip[21] = 4 and ip[24:4] = $spi and ip[44] = 0x21 and ip[45] = $2 and ip[46] = $3 and ip[48] = 2"
}
n=$(wire_count "$(ah "$A1" 56 150)")
check "wire: vigild's priority 150 adverts carry the AH ($n)" [ "$n" -ge 5 ]
n=$(wire_count "$(ah "$A1" 56 100)")
check "wire: vigild's priority 100 adverts carry the AH ($n)" [ "$n" -ge 2 ]
n=$(wire_count "$(ah "$A1" 56 0)")
check "wire: vigild's priority-0 advert carries the AH ($n)" [ "$n" -ge 1 ]
n=$(wire_count "ip proto 51 and src host $A1 and dst host $A2 and ip[20] = 112 and ip[46] = 100")
check "wire: vigild's unicast AH adverts to keepalived ($n)" [ "$n" -ge 2 ]
n=$(wire_count "ip proto 112 and src host $A1")
check "wire: no advert of vigild without it ($n)" [ "$n" -eq 0 ]
# Sequence numbers: strictly increasing within each vigild run.
seqs() { tcpdump -r "$PCAP" -nn -x "$(ah "$1" 56 "$2")" 2>/dev/null | awk '/0x0010:/ { print $8 $9 }'; }
# (one restart of vigild at 150 may start its numbering again)
n=$(for h in $(seqs "$A1" 150); do echo $((0x$h)); done |
	awk 'NR > 1 && $1 <= prev { bad++ } { prev = $1 } END { print NR " " bad + 0 }')
check "wire: vigild's AH sequence numbers increase (adverts, decreases: $n)" \
	eval '[ "${n% *}" -ge 5 ] && [ "${n#* }" -le 1 ]' 
n=$(grep -c "auth_failure" "$T/n1.wrong.log")
check "vigild counted node 3's adverts as auth_failure (logged $n times, rate-limited)" [ "$n" -ge 1 ]
n=$(grep -E "MASTER ->|-> BACKUP|-> FAULT" "$T/n1.wrong.log" | grep -c "advert from $A3")
check "vigild changed no state for node 3's adverts ($n)" [ "$n" -eq 0 ]
check "keepalived rejected node 3's adverts too ($n_rej)" [ "$n_rej" -ge 1 ]
# What keepalived logs when it drops an advert, node 3's time left out.
complaints() {
	cat "$T/ka.log" "$T/n2.log" | grep -i -E "invalid|mismatch|wrong|sequence|already|auth"
}
n=$(complaints | wc -l)
check "keepalived logged no complaint about vigild's AH adverts ($n lines)" [ "$n" -eq 0 ]
[ "$n" -eq 0 ] || complaints | head -5 | diag
done_testing
