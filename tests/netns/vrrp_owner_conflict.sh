#!/bin/sh
# Two routers both configured as address owner (priority 255), as
# keepalived 2.3.3 handles it: the one with the lower primary address
# lowers its priority to 254 at once and stays backup; the one with the
# higher address keeps 255 only while the other may still give way, then
# gives way itself when the other does not (a fake owner here, sending
# priority-255 adverts and never yielding); once the other owner is gone it
# takes over again, advertising 255.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root
command -v python3 >/dev/null || skip_all "needs python3 (the fake owner)"

VIP=10.99.0.100
write_conf() { # FILE
	cat >"$1" <<CONF
vrrp_instance VI_1 {
	version 3
	state MASTER
	interface eth0
	virtual_router_id 59
	priority 255
	advert_int 0.1
	virtual_ipaddress {
		$VIP/24
	}
}
CONF
}
# A VRRPv3 advert VRID 59, priority 255, 0.1 s, listing $VIP, every 100 ms
# from 10.99.0.1 to 224.0.0.18 (RFC 9568 §5.2.8 checksum with the IPv4
# pseudo-header), until killed.
cat >"$T/fake_owner.py" <<'PY'
import socket, struct, sys, time
src, vip = sys.argv[1], sys.argv[2]
dst = "224.0.0.18"
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
msg = struct.pack("!BBBBHH", 0x31, 59, 255, 1, 10, 0) + socket.inet_aton(vip)
pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 112, len(msg))
msg = msg[:6] + struct.pack("!H", csum(pseudo + msg)) + msg[8:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 0xc0)
s.bind((src, 0))
while True:
    s.sendto(msg, (dst, 0))
    time.sleep(0.1)
PY
vrrp255() { echo "$(advert4 "$1" 3 59 "$2")"; }

net_setup 2 || { not_ok "topology"; done_testing; }
write_conf "$T/n2.conf"
cp "$T/n2.conf" "$T/n1.conf"
capture_start

start_vigild 2 "$T/n2.conf"
check "node 2 (owner, 10.99.0.2) is master" wait_until 2 only_holder 2 $VIP

# A fake owner with the lower address that never gives way.
ip netns exec "$(ns 1)" python3 "$T/fake_owner.py" "$(node_ip 1)" $VIP &
fake=$!
started_pids="$started_pids $fake"
t_fake=$(now_ms)
check "node 2 gives way to an owner that does not (VIP released)" \
	wait_until 2 eval '! holds 2 $VIP'
t_gave=$(now_ms)
check "and stays backup while the other owner advertises 255" holds_for 1 eval '! holds 2 $VIP'
kill "$fake"
wait "$fake" 2>/dev/null
t_gone=$(now_ms)
check "the other owner gone: node 2 master again" wait_until 2 only_holder 2 $VIP
sleep 0.5

# Two vigild owners: node 1 has the lower address and yields at once.
start_vigild 1 "$T/n1.conf"
check "a second vigild owner (10.99.0.1) yields: node 2 holds the VIP alone" \
	wait_until 2 only_holder 2 $VIP
check "and keeps it" holds_for 1.5 only_holder 2 $VIP
t_end=$(now_ms)
stop_node 1
stop_node 2
capture_stop

A2=$(node_ip 2) A1=$(node_ip 1)
n=$(wire_between "$t_fake" "$t_gave" "$(vrrp255 "$A2" 255)")
check "wire: node 2 kept advertising 255 at first ($n)" [ "$n" -ge 1 ]
n=$(wire_between "$((t_gave + 200))" "$t_gone" "ip proto 112 and src host $A2")
check "wire: node 2 silent (backup) while the other owner advertised ($n)" [ "$n" -eq 0 ]
n=$(wire_between "$t_gone" "$t_end" "$(vrrp255 "$A2" 255)")
check "wire: node 2 advertises 255 again once the other owner is gone ($n)" [ "$n" -ge 10 ]
n=$(wire_between "$t_gone" "$t_end" "$(vrrp255 "$A2" 254)")
check "wire: never 254 after that ($n)" [ "$n" -eq 0 ]
n=$(wire_between "$((t_end - 1000))" "$t_end" "ip proto 112 and src host $A1")
check "wire: the yielding vigild owner is silent ($n)" [ "$n" -eq 0 ]
done_testing
