# Shared by the multi-node VRRP tests (root, host kernel): TAP output,
# polling with deadlines, a switch namespace with a bridge and one namespace
# per node, vigild or keepalived started inside them, a packet capture on
# the bridge, and a cleanup that removes exactly what the test made.
#
# Each node i (1..N) is namespace $NS_i with eth0 = 10.99.0.i/24,
# fd00:99::i/64 and MAC 02:00:00:99:00:0i, plugged into bridge br0 of
# namespace $NS_SW. Names carry the test's name and pid, so tests run in
# parallel without meeting.

T=$(mktemp -d /tmp/vigil-netns.XXXXXX) || exit 1
VIGILD=${VIGILD:-${top_builddir:-.}/vigild}
KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}
TEST_NAME=$(basename "$0" .sh)
PFX="vg-$(echo "$TEST_NAME" | tr -c 'a-z0-9\n' '-' | cut -c1-16)-$$"
NS_SW="$PFX-sw"
PCAP=$T/wire.pcap
tap_n=0
tap_failed=0
started_pids=""
tcpdump_pid=
nodes=0

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
}
# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
diag() { sed 's/^/# /' "$@"; }
skip_all() { echo "1..0 # SKIP $1"; rm -rf "$T"; exit 0; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# wait_until SECONDS COMMAND...: poll every 20 ms until COMMAND succeeds.
wait_until() {
	deadline=$(($(now_ms) + $(echo "$1" | awk '{ printf "%d", $1 * 1000 }'))); shift
	until "$@"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.02
	done
}

# holds_for SECONDS COMMAND...: COMMAND keeps succeeding for that long
# (polled every 20 ms); fails at the first miss.
holds_for() {
	deadline=$(($(now_ms) + $(echo "$1" | awk '{ printf "%d", $1 * 1000 }'))); shift
	while [ "$(now_ms)" -lt "$deadline" ]; do
		"$@" || return 1
		sleep 0.02
	done
}

alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
dead() { ! alive "$1"; }
pid_in() { [ -s "$1" ] && cat "$1"; }

require_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root (network namespaces)"
	ip netns add "$PFX-probe" 2>/dev/null || skip_all "cannot create network namespaces"
	ip netns del "$PFX-probe"
}

ns() { echo "$PFX-n$1"; }
node_ip() { echo "10.99.0.$1"; }
node_ip6() { echo "fd00:99::$1"; }
node_mac() { printf '02:00:00:99:00:%02x' "$1"; }

# net_setup N: the switch and N nodes.
net_setup() {
	ip netns add "$NS_SW" || return 1
	ip -n "$NS_SW" link add br0 type bridge mcast_snooping 0 || return 1
	ip -n "$NS_SW" link set br0 up
	i=1
	while [ $i -le "$1" ]; do
		n=$(ns $i)
		ip netns add "$n" || return 1
		# No DAD: link-local and test addresses are usable at once.
		ip netns exec "$n" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_dad=0
		ip link add eth0 netns "$n" address "$(node_mac $i)" type veth \
			peer name "p$i" netns "$NS_SW" || return 1
		ip -n "$NS_SW" link set "p$i" master br0 up
		ip -n "$n" link set lo up
		ip -n "$n" addr add "$(node_ip $i)/24" dev eth0
		ip -n "$n" addr add "$(node_ip6 $i)/64" dev eth0 nodad
		ip -n "$n" link set eth0 up
		nodes=$i
		i=$((i + 1))
	done
}

# node_eth0_add NODE: plug a new eth0 into a node whose eth0 was deleted
# (its bridge port went with it), addressed as net_setup addresses it.
node_eth0_add() {
	ip link add eth0 netns "$(ns "$1")" address "$(node_mac "$1")" type veth \
		peer name "p$1" netns "$NS_SW" || return 1
	ip -n "$NS_SW" link set "p$1" master br0 up
	ip -n "$(ns "$1")" addr add "$(node_ip "$1")/24" dev eth0
	ip -n "$(ns "$1")" addr add "$(node_ip6 "$1")/64" dev eth0 nodad
	ip -n "$(ns "$1")" link set eth0 up
}

# capture_start: record VRRP (with or without IPsec AH), ARP and ICMPv6 on
# the bridge into $PCAP.
capture_start() {
	ip netns exec "$NS_SW" tcpdump -i br0 --immediate-mode -U -n -s 256 -w "$PCAP" \
		'ip proto 112 or ip proto 51 or ip6 proto 112 or arp or icmp6' 2>"$T/tcpdump.log" &
	tcpdump_pid=$!
	wait_until 5 grep -q "listening on" "$T/tcpdump.log"
}

# capture_stop: flush and close the capture (so it can be read whole).
capture_stop() {
	[ -n "$tcpdump_pid" ] || return 0
	sleep 0.2 # let the last packets reach the writer (-U flushes each one)
	kill -INT "$tcpdump_pid" 2>/dev/null
	wait "$tcpdump_pid" 2>/dev/null
	tcpdump_pid=
}

# wire FILTER: the captured packets matching a pcap filter, one per line
# with absolute timestamps.
wire() { tcpdump -r "$PCAP" -nn -tt "$@" 2>/dev/null; }
wire_count() { wire "$@" | wc -l; }

# A VRRP advert filter: advert4 SRC VERSION VRID PRIO (IPv4 header
# without options, as VRRP sends): TTL 255 is part of the match.
advert4() {
	echo "ip proto 112 and src host $1 and ip[8] = 255 and ip[20] = $((0x${2}1)) and ip[21] = $3 and ip[22] = $4"
}
# IPv6 adverts come from the link-local address: advert6 takes the MAC.
advert6() {
	echo "ip6 proto 112 and ether src $1 and ip6[7] = 255 and ip6[40] = $((0x${2}1)) and ip6[41] = $3 and ip6[42] = $4"
}
# Any VRRP advert from SRC (either family), whatever its fields.
advert_any() { echo "(ip proto 112 or ip6 proto 112) and src host $1"; }
# Gratuitous ARP for IP (sender = target = IP) from MAC.
garp_for() {
	hex=$(printf '0x%02x%02x%02x%02x' $(echo "$1" | tr . ' '))
	echo "arp and ether src $2 and arp[14:4] = $hex and arp[24:4] = $hex"
}
# Unsolicited NA from MAC whose target ends in the 32 bits HEX (0x00000064
# for fd00:99::64): ICMPv6 type 136 without extension headers.
na_for() {
	echo "icmp6 and ether src $2 and ip6[40] = 136 and ip6[60:4] = $1"
}

# first_time FILTER / last_time FILTER: timestamp (s.us) of the first/last
# matching packet, empty when none.
first_time() { wire "$@" | head -1 | awk '{ print $1 }'; }
last_time() { wire "$@" | tail -1 | awk '{ print $1 }'; }
# ms_between T1 T2: (T2 - T1) in whole milliseconds.
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

# wire_between T0_MS T1_MS FILTER: how many packets matching FILTER were
# captured in [T0, T1) (milliseconds since the epoch, as now_ms).
wire_between() { wire "$3" | awk -v a="$1" -v b="$2" '$1 * 1000 >= a && $1 * 1000 < b' | wc -l; }

# first_after T_MS FILTER: timestamp of the first matching packet at or
# after T_MS, empty when none.
first_after() { wire "$2" | awk -v t="$1" '$1 * 1000 >= t { print $1; exit }'; }

# in_range N LO HI: LO <= N <= HI (integers).
in_range() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# --- addresses --------------------------------------------------------------

# holds NODE ADDR: the node's eth0 carries ADDR (any prefix).
holds() { ip -n "$(ns "$1")" addr show dev eth0 | grep -q "inet6\? $2/"; }
# holders ADDR: how many nodes carry ADDR.
holders() {
	c=0 i=1
	while [ $i -le $nodes ]; do
		holds $i "$1" 2>/dev/null && c=$((c + 1))
		i=$((i + 1))
	done
	echo $c
}
# only_holder NODE ADDR: NODE carries ADDR and no other node does.
only_holder() { holds "$1" "$2" && [ "$(holders "$2")" = 1 ]; }

# --- daemons ------------------------------------------------------------------

# start_vigild NODE CONFIG: vigild -P in the node's namespace, logging into
# $T/nNODE.log; its pids are in $T/nNODE.pid (parent) and .vpid (VRRP).
start_vigild() {
	: >"$T/n$1.log"
	rm -f "$T/n$1.pid" "$T/n$1.vpid"
	ip netns exec "$(ns "$1")" "$VIGILD" -n -l -D -P -f "$2" -p "$T/n$1.pid" \
		-r "$T/n$1.vpid" >>"$T/n$1.log" 2>&1 &
	eval "node_pid_$1=$!"
	started_pids="$started_pids $!"
	wait_until 5 pid_in "$T/n$1.vpid" >/dev/null
}

# start_keepalived NODE CONFIG: the real keepalived, the same way.
start_keepalived() {
	: >"$T/n$1.log"
	rm -f "$T/n$1.pid" "$T/n$1.vpid"
	ip netns exec "$(ns "$1")" "$KEEPALIVED" -n -l -D -P -f "$2" -p "$T/n$1.pid" \
		-r "$T/n$1.vpid" >>"$T/n$1.log" 2>&1 &
	eval "node_pid_$1=$!"
	started_pids="$started_pids $!"
	wait_until 5 pid_in "$T/n$1.vpid" >/dev/null
}

node_pid() { eval "echo \${node_pid_$1:-}"; }

# kill_node NODE: SIGKILL the whole daemon (VRRP child first, so nothing
# runs a clean stop, and the parent is frozen so it cannot respawn it).
kill_node() {
	p=$(node_pid "$1") v=$(pid_in "$T/n$1.vpid")
	[ -n "$p" ] && kill -STOP "$p" 2>/dev/null
	[ -n "$v" ] && kill -KILL "$v" 2>/dev/null
	[ -n "$p" ] && kill -KILL "$p" 2>/dev/null
	[ -n "$p" ] && wait "$p" 2>/dev/null
	eval "node_pid_$1="
}

# stop_node NODE: SIGTERM and wait for the exit (10 s at most).
stop_node() {
	p=$(node_pid "$1")
	[ -n "$p" ] || return 0
	kill -TERM "$p" 2>/dev/null
	wait_until 10 dead "$p" || kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	eval "node_pid_$1="
}

sanitizer_clean() { ! cat "$T"/n*.log 2>/dev/null | grep -q -E 'Sanitizer|runtime error:'; }

cleanup() {
	for p in $started_pids; do
		if alive "$p"; then
			v=""
			for f in "$T"/n*.vpid; do
				q=$(pid_in "$f") && [ "$(awk '/^PPid:/ { print $2 }' \
					"/proc/$q/status" 2>/dev/null)" = "$p" ] && v="$v $q"
			done
			kill -TERM "$p" 2>/dev/null
			wait_until 5 dead "$p" || kill -KILL "$p" $v 2>/dev/null
		fi
	done
	[ -n "$tcpdump_pid" ] && kill "$tcpdump_pid" 2>/dev/null
	i=1
	while [ $i -le $nodes ]; do
		ip netns del "$(ns $i)" 2>/dev/null
		i=$((i + 1))
	done
	ip netns del "$NS_SW" 2>/dev/null
	[ -n "${NETNS_KEEP:-}" ] && echo "# kept $T" || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# done_testing: the sanitizer verdict, the logs on failure, the plan.
done_testing() {
	check "no sanitizer report from any vigild process" sanitizer_clean
	if [ $tap_failed -ne 0 ]; then
		for f in "$T"/n*.log; do
			[ -e "$f" ] && { echo "# --- $f"; tail -40 "$f" | diag; }
		done
	fi
	echo "1..$tap_n"
	[ $tap_failed -eq 0 ]
	exit $?
}
