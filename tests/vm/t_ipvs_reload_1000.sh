#!/bin/bash
# A reload that changes 1 of 1000 virtual servers touches only that one: every
# other service keeps its counters (none was deleted and re-added), the
# changed destination has its new weight, and the checker child sent a
# single request.
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-r1000.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

"$VIGIL_SRCDIR/bench/ipvs/gen" conf 1000 2 >"$T/vigil.conf"
# Local connection attempts reach IPVS through a route to the VIPs.
ip link add vips type dummy && ip link set vips up && ip addr add 10.0.0.254/16 dev vips &&
	ip addr add 172.16.0.254/12 dev vips

"$VIGILD" -n -l -C --ipvs-repair-interval 0 -f "$T/vigil.conf" -p "$T/pid" -c "$T/cpid" \
	>"$T/log" 2>&1 &
pid=$!
count() { awk 'NR > 3 { if ($1 == "->") d++; else s++ } END { print s + 0, d + 0 }' /proc/net/ip_vs; }
end=$((SECONDS + 60))
until [ "$(count)" = "1000 2000" ] || [ $SECONDS -ge $end ]; do sleep 0.2; done
[ "$(count)" = "1000 2000" ] && tap_ok "1000 services and 2000 destinations in the table" ||
	tap_fail "1000 services and 2000 destinations in the table (got $(count))"

# One connection attempt to every virtual server, all at once.
python3 - <<'PY'
import socket
socks = []
for i in range(1000):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255), 80))
    socks.append(s)
PY
stats() { # "VIP:PORT CONNS" per service, sorted
	ipvsadm -Ln --stats | awk '$1 == "TCP" { print $2, $3 }' | sort
}
end=$((SECONDS + 10)) # per-CPU counters are folded into the totals every 2 s
until stats >"$T/before"; [ "$(awk '$2 >= 1' "$T/before" | wc -l)" = 1000 ] ||
	[ $SECONDS -ge $end ]; do sleep 1; done
n=$(awk '$2 >= 1' "$T/before" | wc -l)
[ "$n" = 1000 ] && tap_ok "every service counted its connection" ||
	tap_fail "every service counted its connection ($n of 1000)"

# Change one real server's weight in virtual server 517 (10.0.2.5).
awk 'BEGIN { vs = -1 } /^virtual_server / { vs++ }
	vs == 517 && /weight 1/ && !done { sub(/weight 1/, "weight 7"); done = 1 } { print }' \
	"$T/vigil.conf" >"$T/new.conf" && mv "$T/new.conf" "$T/vigil.conf"
kill -HUP "$pid"
end=$((SECONDS + 30))
until ipvsadm -Sn | grep -q -- "-a -t 10.0.2.5:80 -r .* -w 7" || [ $SECONDS -ge $end ]; do
	sleep 0.3
done
ipvsadm -Sn | grep -q -- "-a -t 10.0.2.5:80 -r .* -w 7" &&
	tap_ok "the changed destination has weight 7" ||
	tap_fail "the changed destination has weight 7"
stats >"$T/after"
lost=$(join "$T/before" "$T/after" | awk '$3 < $2' | wc -l)
[ "$lost" = 0 ] && [ "$(wc -l <"$T/after")" = 1000 ] &&
	tap_ok "no service lost its counters: none was deleted and re-added" ||
	{ tap_fail "no service lost its counters ($lost reset)"; join "$T/before" "$T/after" |
		awk '$3 < $2' | head -5 | tap_diag; }
[ "$(count)" = "1000 2000" ] && tap_ok "still 1000 services and 2000 destinations" ||
	tap_fail "still 1000 services and 2000 destinations (got $(count))"
grep -q "generation 2: 1000 IPVS services, 2000 destinations (1 requests, 0 failed)" "$T/log" &&
	tap_ok "the reload sent exactly one request" ||
	{ tap_fail "the reload sent exactly one request"; grep generation "$T/log" | tail -3 | tap_diag; }
kill -TERM "$pid" && wait "$pid"
pid=
grep -E -q 'Sanitizer|runtime error:' "$T/log" && tap_fail "no sanitizer report" ||
	tap_ok "no sanitizer report"
tap_done
