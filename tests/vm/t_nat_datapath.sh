#!/bin/bash
# The VM can carry real IPVS traffic, as later tests of vigil's IPVS code
# need: a client namespace reaches a web server in a real-server namespace
# through a VIP that IPVS forwards in NAT mode. The director is the test's
# own network namespace. Addresses are documentation ranges, inside the VM.
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

rs=vigil-t-rs cl=vigil-t-cl vip=192.0.2.10 rs_ip=198.51.100.2 cl_ip=203.0.113.2
srv=''
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	ip netns del $rs 2>/dev/null
	ip netns del $cl 2>/dev/null
}
trap cleanup EXIT

ip netns add $rs && ip netns add $cl &&
	ip link add d-rs type veth peer name eth0 netns $rs &&
	ip link add d-cl type veth peer name eth0 netns $cl &&
	ip addr add 198.51.100.1/24 dev d-rs && ip link set d-rs up &&
	ip addr add 203.0.113.1/24 dev d-cl && ip link set d-cl up &&
	ip -n $rs addr add $rs_ip/24 dev eth0 && ip -n $rs link set eth0 up &&
	ip -n $rs link set lo up && ip -n $rs route add default via 198.51.100.1 &&
	ip -n $cl addr add $cl_ip/24 dev eth0 && ip -n $cl link set eth0 up &&
	ip -n $cl route add default via 203.0.113.1 &&
	ip link add vip type dummy && ip addr add $vip/32 dev vip && ip link set vip up &&
	sysctl -qw net.ipv4.ip_forward=1
tap_check "topology: client, director and real server namespaces" test $? -eq 0

page=$(mktemp -d)
echo "real server $rs_ip" >"$page/index.html"
ip netns exec $rs python3 -m http.server 8080 --bind $rs_ip --directory "$page" \
	>/dev/null 2>&1 &
srv=$!

fetch() {  # fetch NETNS URL: print the body, bounded in time
	ip netns exec "$1" python3 -c '
import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode().strip())' "$2"
}
direct=''
for _ in $(seq 50); do
	direct=$(fetch $rs "http://$rs_ip:8080/index.html" 2>/dev/null) && break
	sleep 0.2
done
tap_check "the real server answers on its own address" test "$direct" = "real server $rs_ip"

ipvsadm -A -t $vip:80 -s rr && ipvsadm -a -t $vip:80 -r $rs_ip:8080 -m
tap_check "ipvsadm adds the service and a NAT real server" test $? -eq 0

got=$(fetch $cl "http://$vip/index.html" 2>&1)
if [ "$got" = "real server $rs_ip" ]; then tap_ok "the client reaches the real server through the VIP"
else
	tap_fail "the client reaches the real server through the VIP"
	printf '%s\n' "$got" | tap_diag
fi

# the connection table has the client's connection to the real server at once
# ("TCP 01:59 TIME_WAIT 203.0.113.2:40000 192.0.2.10:80 198.51.100.2:8080");
# the --stats counters would lag: per-CPU counters are summed every 2 s
conn=$(ipvsadm -Lnc | awk -v c="$cl_ip" -v v="$vip:80" -v r="$rs_ip:8080" \
	'index($4, c ":") == 1 && $5 == v && $6 == r')
if [ -n "$conn" ]; then tap_ok "IPVS has the client's connection to the real server"
else
	tap_fail "IPVS has the client's connection to the real server"
	ipvsadm -Lnc | tap_diag
fi
rm -rf "$page"
tap_done
