#!/bin/bash
# alpha and inhibit_on_failure in the kernel table, from the first
# programming on: a real server without alpha starts in the table (weight
# 1) until its checks fail; with alpha it starts out of the table and comes
# in only once a check succeeds; with alpha and inhibit_on_failure it starts
# at weight 0; inhibit_on_failure alone turns a failing real server's
# weight to 0 instead of removing it. alpha set on the virtual server
# applies to each of its real servers.
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-alpha.XXXXXX)
pid= srv=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# retry 3, delay_before_retry 1: a failing real server needs more than 3 s
# to go down, time to see where it started.
check='TCP_CHECK {
            connect_timeout 1
            retry 3
            delay_before_retry 1
        }'
cat >"$T/vigil.conf" <<CONF
virtual_server 192.0.2.70 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    delay_loop 1
    real_server 127.0.0.1 9001 {
        $check
    }
    real_server 127.0.0.1 9002 {
        alpha
        $check
    }
    real_server 127.0.0.1 9003 {
        alpha
        inhibit_on_failure
        $check
    }
    real_server 127.0.0.1 9004 {
        alpha
        $check
    }
    real_server 127.0.0.1 9005 {
        inhibit_on_failure
        $check
    }
}
virtual_server 192.0.2.71 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    delay_loop 1
    alpha
    real_server 127.0.0.1 9002 {
        $check
    }
    real_server 127.0.0.1 9004 {
        $check
    }
}
CONF
# Only 9004 answers.
socat TCP-LISTEN:9004,bind=127.0.0.1,fork,reuseaddr /dev/null &
srv=$!
for _ in $(seq 50); do ss -Hlnt 'sport = :9004' | grep -q . && break; sleep 0.1; done

# "SERVICE-PORT-HEX DEST-PORT-HEX WEIGHT" from /proc: cheap enough to poll.
proc() {
	awk '$1 == "TCP" { s = $2 } $1 == "->" && $3 != "Forward" { print s, $2, $4 }' /proc/net/ip_vs
}
# w VS_HEX RS_PORT: the weight of 127.0.0.1:RS_PORT in the service, or "out"
w() {
	local h
	h=$(printf '7F000001:%04X' "$2")
	awk -v s="$1" -v d="$h" '$1 == s && $2 == d { print $3; f = 1 } END { if (!f) print "out" }' "$T/snap"
}
VS1=C0000246:0050 VS2=C0000247:0050

"$VIGILD" -n -l -C -f "$T/vigil.conf" -p "$T/pid" -c "$T/cpid" >"$T/log" 2>&1 &
pid=$!
# The first look at the table, as soon as the start's destinations are
# there (9001, 9003, 9005; 9004 too if its first check is already done).
for _ in $(seq 200); do
	proc >"$T/snap"
	[ "$(grep -c "^$VS1 " "$T/snap")" -ge 3 ] && break
	sleep 0.1
done
first="9001:$(w $VS1 9001) 9002:$(w $VS1 9002) 9003:$(w $VS1 9003) 9005:$(w $VS1 9005)"
[ "$first" = "9001:1 9002:out 9003:0 9005:1" ] &&
	tap_ok "start: no alpha in at weight 1, alpha out, alpha + inhibit at weight 0 ($first)" ||
	{ tap_fail "start: no alpha in at weight 1, alpha out, alpha + inhibit at weight 0 ($first)"; tap_diag <"$T/snap"; }

# Then the checks decide.
want="9001:out 9002:out 9003:0 9004:1 9005:0 | 9002:out 9004:1"
have=''
for _ in $(seq 60); do
	proc >"$T/snap"
	have="9001:$(w $VS1 9001) 9002:$(w $VS1 9002) 9003:$(w $VS1 9003) 9004:$(w $VS1 9004) 9005:$(w $VS1 9005) | 9002:$(w $VS2 9002) 9004:$(w $VS2 9004)"
	[ "$have" = "$want" ] && break
	sleep 0.5
done
[ "$have" = "$want" ] &&
	tap_ok "checks: failing ones out (or weight 0 with inhibit_on_failure), alpha + passing in ($have)" ||
	{ tap_fail "checks decide (want '$want', have '$have')"; tail -10 "$T/log" | tap_diag; }
ipvsadm -Sn | sort >"$T/table"
grep -qx -- "-a -t 192.0.2.70:80 -r 127.0.0.1:9003 -m -w 0" "$T/table" &&
	grep -qx -- "-a -t 192.0.2.71:80 -r 127.0.0.1:9004 -m -w 1" "$T/table" &&
	tap_ok "ipvsadm -Sn agrees" || { tap_fail "ipvsadm -Sn agrees"; tap_diag <"$T/table"; }

kill -TERM "$pid" && wait "$pid"
pid=
grep -q -E 'Sanitizer|runtime error:' "$T/log" && tap_fail "no sanitizer report" || tap_ok "no sanitizer report"
tap_done
