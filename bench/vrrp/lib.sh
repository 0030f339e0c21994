# Shared by bench/vrrp/takeover and bench/vrrp/load (bash, root, host
# kernel): two or more nodes in network namespaces on a bridge, vigild or
# keepalived started inside them the same way, the VRRP recorder
# (vrrp_wire) on the bridge, and a cleanup that stops exactly the processes
# and namespaces this run made.
#
# Node i is namespace $PFX-n<i> with eth0 = 10.98.0.i/24, plugged into br0
# of namespace $PFX-sw. Names carry the script's pid.

here=$(cd "$(dirname "$0")" && pwd -P)
top=$(cd "$here/../.." && pwd -P)
KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}
PFX="vb-$$"
NS_SW="$PFX-sw"
W= # work directory, set by bench_init
nodes=0
wire_pid=
started_pids=""
declare -A node_pid node_sub node_impl

now_s() { date +%s.%N; }
msleep() { sleep "$(awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }')"; }

# wait_until SECONDS COMMAND...: poll every 10 ms.
wait_until() {
	local deadline
	deadline=$(awk -v n="$(now_s)" -v s="$1" 'BEGIN { printf "%.3f", n + s }')
	shift
	until "$@"; do
		awk -v n="$(now_s)" -v d="$deadline" 'BEGIN { exit !(n >= d) }' && return 1
		sleep 0.01
	done
}

alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
dead() { ! alive "$1"; }
pid_in() { [ -s "$1" ] && cat "$1"; }

ns() { echo "$PFX-n$1"; }
node_ip() { echo "10.98.0.$1"; }

# bench_init BUILDDIR [VIGILD]: build vigild (unless a binary is given) and
# vrrp_wire, make the work directory.
bench_init() {
	[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 2; }
	if [ -n "${2:-}" ]; then
		VIGILD=$2
	else
		make -C "$1" -s vigild >/dev/null || exit 2
		VIGILD=$1/vigild
	fi
	[ -x "$VIGILD" ] || { echo "no vigild at $VIGILD" >&2; exit 2; }
	W=$(mktemp -d /tmp/vigil-bench-vrrp.XXXXXX) || exit 2
	cc -O2 -Wall -o "$W/vrrp_wire" "$here/vrrp_wire.c" || exit 2
	trap bench_cleanup EXIT
	trap 'exit 1' INT TERM
}

# net_setup N: the switch and N nodes.
net_setup() {
	local i n
	ip netns add "$NS_SW" || return 1
	ip -n "$NS_SW" link add br0 type bridge mcast_snooping 0 || return 1
	ip -n "$NS_SW" link set br0 up
	for ((i = 1; i <= $1; i++)); do
		n=$(ns $i)
		ip netns add "$n" || return 1
		nodes=$i
		ip link add eth0 netns "$n" type veth peer name "p$i" netns "$NS_SW" || return 1
		ip -n "$NS_SW" link set "p$i" master br0 up
		ip -n "$n" link set lo up
		ip -n "$n" addr add "$(node_ip $i)/24" dev eth0
		ip -n "$n" link set eth0 up
	done
}

# wire_start FILE [vrrp_wire options]: record adverts on the bridge.
wire_start() {
	local out=$1
	shift
	ip netns exec "$NS_SW" "$W/vrrp_wire" -i br0 -o "$out" "$@" 2>"$W/wire.err" &
	wire_pid=$!
	wait_until 5 grep -q "listening on" "$W/wire.err"
}

# wire_stop: stop the recorder (it writes its summary, if any, and exits).
wire_stop() {
	[ -n "$wire_pid" ] || return 0
	kill -TERM "$wire_pid" 2>/dev/null
	wait "$wire_pid" 2>/dev/null
	wire_pid=
}

# start_node NODE IMPL CONFIG: IMPL is vigild or keepalived, started as
#   IMPL -n -l -P -f CONFIG -p PID -r VPID
# in the node's namespace, logging to $W/nNODE.log. Waits for both
# pidfiles. (It runs under a subshell of ours, so that its death by a signal
# is not reported on our terminal; node_pid is the daemon's own pid.)
start_node() {
	local bin
	case $2 in
	vigild) bin=$VIGILD ;;
	keepalived) bin=$KEEPALIVED ;;
	*) echo "unknown implementation $2" >&2; return 1 ;;
	esac
	rm -f "$W/n$1.pid" "$W/n$1.vpid"
	(ip netns exec "$(ns "$1")" "$bin" -n -l -P -f "$3" -p "$W/n$1.pid" \
		-r "$W/n$1.vpid" >>"$W/n$1.log" 2>&1; :) >/dev/null 2>&1 &
	node_sub[$1]=$!
	node_impl[$1]=$2
	wait_until 10 eval "pid_in $W/n$1.pid >/dev/null && pid_in $W/n$1.vpid >/dev/null" ||
		return 1
	node_pid[$1]=$(pid_in "$W/n$1.pid")
	started_pids="$started_pids ${node_pid[$1]}"
}

vrrp_pid() { pid_in "$W/n$1.vpid"; }

# node_reap NODE: wait for the subshell that ran the node's daemon.
node_reap() {
	[ -n "${node_sub[$1]:-}" ] && wait "${node_sub[$1]}" 2>/dev/null
	node_sub[$1]=
	node_pid[$1]=
}

# signal_node NODE kill|term: SIGKILL the VRRP child, then the parent,
# which is frozen first so that it can neither restart the child nor clean
# up; or SIGTERM the parent. Returns at once: while a takeover is being
# measured the script must not compete for the CPU (node_gone waits).
signal_node() {
	local p v
	p=$(pid_in "$W/n$1.pid") v=$(vrrp_pid "$1")
	if [ "$2" = kill ]; then
		[ -n "$p" ] && kill -STOP "$p" 2>/dev/null
		[ -n "$v" ] && kill -KILL "$v" 2>/dev/null
		[ -n "$p" ] && kill -KILL "$p" 2>/dev/null
	else
		[ -n "$p" ] && kill -TERM "$p" 2>/dev/null
	fi
}

# node_gone NODE: wait until the parent and the VRRP child have exited
# (SIGKILL after 10 s).
node_gone() {
	local p v
	p=$(pid_in "$W/n$1.pid") v=$(vrrp_pid "$1")
	for x in $p $v; do
		wait_until 10 dead "$x" || kill -KILL "$x" 2>/dev/null
	done
	node_reap "$1"
	rm -f "$W/n$1.pid" "$W/n$1.vpid"
}

kill_node() { signal_node "$1" kill; node_gone "$1"; }
stop_node() { [ -s "$W/n$1.pid" ] || return 0; signal_node "$1" term; node_gone "$1"; }

# addrs NODE: the node's eth0 IPv4 addresses (without prefix).
addrs() { ip -n "$(ns "$1")" -4 -o addr show dev eth0 | awk '{ sub("/.*", "", $4); print $4 }'; }
holds() { addrs "$1" | grep -qx "$2"; }

bench_cleanup() {
	local p i
	for p in $started_pids; do
		if alive "$p"; then
			kill -TERM "$p" 2>/dev/null
			wait_until 5 dead "$p" || kill -KILL "$p" 2>/dev/null
		fi
	done
	[ -n "$wire_pid" ] && kill "$wire_pid" 2>/dev/null
	for ((i = 1; i <= nodes; i++)); do
		ip netns del "$(ns $i)" 2>/dev/null
	done
	ip netns del "$NS_SW" 2>/dev/null
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "kept $W" >&2
	else
		rm -rf "$W"
	fi
}
