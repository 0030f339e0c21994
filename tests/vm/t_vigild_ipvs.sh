#!/bin/bash
# vigild -C programs the VM kernel's IPVS table from a keepalived.conf, and
# keeps to what it owns: reloads apply only the difference (counters of
# unchanged services survive), a table edited behind its back is repaired on
# its repair pass, foreign services are left alone, a restart adopts the table without
# flapping it, and a clean stop removes its services.
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-ipvs.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

start() {
	"$VIGILD" -n -l -C --ipvs-repair-interval 1 -f "$T/vigil.conf" -p "$T/pid" -c "$T/cpid" \
		>>"$T/log" 2>&1 &
	pid=$!
}
stop() {
	kill -TERM "$pid" && wait "$pid"
	pid=
}
table() { ipvsadm -Sn | sort; }
# wait_table FILE: poll until the table equals the expected one (20 s; an
# ipvsadm run costs about 0.5 s under qemu, so polls are few).
wait_table() {
	local end=$((SECONDS + 20))
	sort "$1" >"$T/want.sorted"
	while [ $SECONDS -lt $end ]; do
		table >"$T/have"
		cmp -s "$T/want.sorted" "$T/have" && return 0
		sleep 0.2
	done
	return 1
}
# check_table DESCRIPTION LINES...: the table is exactly these lines.
check_table() {
	local desc=$1
	shift
	printf '%s\n' "$@" >"$T/want"
	if wait_table "$T/want"; then tap_ok "$desc"; else
		tap_fail "$desc"
		diff "$T/want.sorted" "$T/have" | tap_diag
		tail -5 "$T/log" | tap_diag
	fi
}
conns() { # the Conns counter of service $1 (ipvsadm -Ln --stats)
	ipvsadm -Ln --stats -t "$1" | awk 'NR == 4 { print $3 }'
}
# One local connection attempt (its SYN) schedules a connection on the
# service; the attempt never completes (no real server answers).
poke() { timeout 5 bash -c "echo > /dev/tcp/${1%:*}/${1#*:}" 2>/dev/null; true; }
# in_conn_table VIP_HEX PORT_HEX: IPVS holds a connection to that service.
in_conn_table() { awk -v a="$1" -v p="$2" '$4 == a && $5 == p { f = 1 } END { exit !f }' \
	/proc/net/ip_vs_conn; }
# settled_conns SERVICE: its Conns counter once two non-zero reads 2.5 s
# apart agree (the kernel folds per-CPU counters into the totals every 2 s,
# later on a loaded guest); 30 s at most.
settled_conns() {
	local a b end=$((SECONDS + 30))
	b=$(conns "$1")
	while :; do
		sleep 2.5
		a=$b b=$(conns "$1")
		{ [ "$a" = "$b" ] && [ "${b:-0}" -ge 1 ]; } || [ $SECONDS -ge $end ] && break
	done
	echo "$b"
}

cat >"$T/vigil.conf" <<'CONF'
virtual_server 192.0.2.1 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.0.0.1 80 {
        weight 2
    }
    real_server 10.0.0.2 80 {
        weight 1
    }
}
virtual_server 192.0.2.2 443 {
    lb_algo wlc
    lb_kind DR
    protocol TCP
    persistence_timeout 300
    real_server 10.0.0.3 443 {
        weight 1
    }
}
virtual_server fwmark 7 {
    lb_algo sh
    lb_kind TUN
    real_server 10.0.0.4 0 {
        weight 1
    }
}
virtual_server 2001:db8::1 53 {
    lb_algo rr
    lb_kind NAT
    protocol UDP
    real_server 2001:db8:1::1 53 {
        weight 5
    }
}
CONF
cat >"$T/want1" <<'EOF2'
-A -t 192.0.2.1:80 -s rr
-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 2
-a -t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 1
-A -t 192.0.2.2:443 -s wlc -p 300
-a -t 192.0.2.2:443 -r 10.0.0.3:443 -g -w 1
-A -f 7 -s sh
-a -f 7 -r 10.0.0.4:0 -i -w 1 --tun-type ipip
-A -u [2001:db8::1]:53 -s rr
-a -u [2001:db8::1]:53 -r [2001:db8:1::1]:53 -m -w 5
EOF2

# Local connection attempts to the VIPs need a route; the real servers' subnet
# sits on the same dummy link so DR/NAT transmission has somewhere to go.
ip link add vips type dummy && ip link set vips up &&
	ip addr add 192.0.2.1/32 dev vips && ip addr add 192.0.2.2/32 dev vips &&
	ip addr add 10.0.0.254/24 dev vips
ipvsadm -A -t 198.51.100.9:25 -s rr # foreign: not ours
start
foreign="-A -t 198.51.100.9:25 -s rr"
check_table "start: the kernel table is the config's (NAT, DR, TUN, fwmark, IPv6, persistence)" \
	"$(cat "$T/want1")" "$foreign"

# A slow guest may start bash or send the SYN late: attempts go on in the
# background until IPVS has the connection in its table (30 s at most).
end=$((SECONDS + 30)) pokes=
until in_conn_table C0000202 01BB || [ $SECONDS -ge $end ]; do
	poke 192.0.2.2:443 &
	pokes="$pokes $!"
	sleep 1
done
# Each attempt ends within its 5 s; none may add to the counter afterwards.
wait $pokes
before=$(settled_conns 192.0.2.2:443)
[ "${before:-0}" -ge 1 ] && tap_ok "traffic counted on 192.0.2.2:443 ($before)" ||
	tap_fail "traffic counted on 192.0.2.2:443 (got '$before')"

# Reload: one weight, one new real server, one service removed.
sed -i 's/weight 2/weight 4/; /virtual_server fwmark 7/,/^}/d' "$T/vigil.conf"
sed -i 's|^virtual_server 2001:db8::1 53 {|&\n    real_server 2001:db8:1::2 53 {\n        weight 1\n    }|' "$T/vigil.conf"
sed -e 's/-r 10.0.0.1:80 -m -w 2/-r 10.0.0.1:80 -m -w 4/' -e '/-f 7/d' "$T/want1" >"$T/want2"
echo "-a -u [2001:db8::1]:53 -r [2001:db8:1::2]:53 -m -w 1" >>"$T/want2"
kill -HUP "$pid"
check_table "reload applies the difference; the foreign service stays" "$(cat "$T/want2")" "$foreign"
after=$(conns 192.0.2.2:443) # a re-added service would start again from 0
[ "$after" = "$before" ] && tap_ok "an unchanged service keeps its counters over a reload ($after)" ||
	tap_fail "an unchanged service keeps its counters over a reload ($before -> $after)"

# Behind our back: a destination deleted, a weight changed, a service of
# ours deleted. The periodic repair (every second here) puts them back.
ipvsadm -d -t 192.0.2.1:80 -r 10.0.0.2:80
ipvsadm -e -t 192.0.2.2:443 -r 10.0.0.3:443 -g -w 9
ipvsadm -D -u [2001:db8::1]:53
check_table "a table edited behind vigild's back is repaired" "$(cat "$T/want2")" "$foreign"

# A crash (SIGKILL of vigild): its checker child leaves the table in place
# and the next vigild adopts it without re-adding anything.
kill -KILL "$pid"; wait "$pid" 2>/dev/null; pid=
for _ in $(seq 100); do [ -z "$(pgrep -f "$T/vigil.conf")" ] && break; sleep 0.05; done
rm -f "$T/pid" "$T/cpid"
start
check_table "restart: the table is unchanged" "$(cat "$T/want2")" "$foreign"
sleep 0.5
after=$(conns 192.0.2.2:443)
[ "$after" = "$before" ] && tap_ok "restart adopts the services without re-adding them (counters $after)" ||
	tap_fail "restart adopts the services without re-adding them ($before -> $after)"

stop
check_table "clean stop removes vigild's services, not the foreign one" "$foreign"
grep -E 'Sanitizer|runtime error:' "$T/log" >/dev/null && tap_fail "no sanitizer report" ||
	tap_ok "no sanitizer report"
tap_done
