#!/bin/sh
# Regenerate the golden VRRP adverts in this folder from the real keepalived
# (Debian's 2.2.7): run it as master in a network namespace, capture what it
# sends from a peer namespace, keep the first advert's IP packet as hex.
# Usage (root): tests/data/vrrp/capture.sh [NAME...]  — writes *.hex next
# to itself (only NAME.hex when names are given). The AH capture keeps the
# first two adverts (NAME.hex, NAME_2.hex: sequence numbers 1 and 2).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
ns1=vgcap1-$$ ns2=vgcap2-$$
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	ip netns del "$ns1" 2>/dev/null || true
	ip netns del "$ns2" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

ip netns add "$ns1"
ip netns add "$ns2"
ip link add vgc0 netns "$ns1" type veth peer name vgc1 netns "$ns2"
ip -n "$ns1" link set vgc0 address 02:00:00:00:01:01
ip -n "$ns1" addr add 192.0.2.1/24 dev vgc0
ip -n "$ns1" addr add 2001:db8::1/64 dev vgc0 nodad
ip -n "$ns2" addr add 192.0.2.2/24 dev vgc1
ip -n "$ns1" link set vgc0 up
ip -n "$ns2" link set vgc1 up
ip -n "$ns1" link set lo up

want() { [ -z "$only" ] || echo " $only " | grep -q " $1 "; }
only="$*"

# name | instance body | filter | [state] [count]
capture() {
	name=$1 body=$2 filter=$3 state=${4:-MASTER} count=${5:-1}
	want "$name" || return 0
	cat > "$work/$name.conf" <<CONF
global_defs {
	router_id cap
}
vrrp_instance VI_cap {
	state $state
	interface vgc0
	priority 150
$body
}
CONF
	ip netns exec "$ns2" tcpdump -i vgc1 -U -c "$count" -w "$work/$name.pcap" "$filter" >/dev/null 2>&1 &
	tp=$!
	pids="$pids $tp"
	sleep 1
	ip netns exec "$ns1" keepalived -n -l -P -f "$work/$name.conf" -p "$work/$name.pid" \
		-r "$work/$name.vpid" >/dev/null 2>&1 &
	kp=$!
	pids="$pids $kp"
	wait "$tp" || true
	kill "$kp" 2>/dev/null || true
	wait "$kp" 2>/dev/null || true
	python3 - "$work/$name.pcap" "$here/$name" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
off, n = 24, 1
while off < len(data):
    incl = struct.unpack('<I', data[off + 8:off + 12])[0]
    frame = data[off + 16:off + 16 + incl]
    off += 16 + incl
    pkt = frame[14:]  # strip Ethernet
    path = sys.argv[2] + ('' if n == 1 else '_%d' % n) + '.hex'
    what = 'first advert' if n == 1 else 'advert %d' % n
    with open(path, 'w') as f:
        f.write('# ' + path.rsplit('/', 1)[-1] + ': ' + what +
                ' keepalived 2.2.7 sent, IP header on\n')
        for i in range(0, len(pkt), 16):
            f.write(' '.join('%02x' % b for b in pkt[i:i + 16]) + '\n')
    n += 1
PY
	echo "captured $name"
}

capture v2 "	virtual_router_id 51
	advert_int 1
	virtual_ipaddress {
		192.0.2.100
		192.0.2.101
	}" "ip proto 112"
capture v2_pass "	virtual_router_id 52
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass s3cret
	}
	virtual_ipaddress {
		192.0.2.100
	}" "ip proto 112"
capture v3_ipv4 "	version 3
	virtual_router_id 53
	advert_int 0.5
	virtual_ipaddress {
		192.0.2.100
		192.0.2.101
	}" "ip proto 112"
capture v3_ipv6 "	version 3
	virtual_router_id 54
	advert_int 1
	virtual_ipaddress {
		2001:db8::100
		2001:db8::101
	}" "ip6 proto 112"
# AH: keepalived refuses "state MASTER" with AH (it starts as BACKUP and
# becomes master after Master_Down_Interval); IP protocol 51.
capture v2_ah "	virtual_router_id 55
	advert_int 1
	authentication {
		auth_type AH
		auth_pass s3cret
	}
	virtual_ipaddress {
		192.0.2.100
		192.0.2.101
	}" "ip proto 51" BACKUP 2
