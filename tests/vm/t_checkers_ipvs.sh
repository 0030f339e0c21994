#!/bin/bash
# Health checks drive the kernel table (in the VM): two real servers behind a
# NAT virtual server answer a client in turn; stopping one removes it from
# the table within the check's bound and every later request is answered by
# the other; restarting it brings it back. A second virtual server shows
# inhibit_on_failure (weight 0, not removal) and quorum with a sorry server.
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-chk.XXXXXX)
pid='' srv1='' srv2=''
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	for p in $srv1 $srv2; do kill "$p" 2>/dev/null; done
	for n in rs1 rs2 cl; do ip netns del vigil-chk-$n 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

# director (this namespace) -- rs1 10.0.1.2, rs2 10.0.2.2, client 203.0.113.2
for i in 1 2; do
	ip netns add vigil-chk-rs$i
	ip link add d-rs$i type veth peer name eth0 netns vigil-chk-rs$i
	ip addr add 10.0.$i.1/24 dev d-rs$i && ip link set d-rs$i up
	ip -n vigil-chk-rs$i addr add 10.0.$i.2/24 dev eth0
	ip -n vigil-chk-rs$i link set eth0 up && ip -n vigil-chk-rs$i link set lo up
	ip -n vigil-chk-rs$i route add default via 10.0.$i.1
done
ip netns add vigil-chk-cl
ip link add d-cl type veth peer name eth0 netns vigil-chk-cl
ip addr add 203.0.113.1/24 dev d-cl && ip link set d-cl up
ip -n vigil-chk-cl addr add 203.0.113.2/24 dev eth0 && ip -n vigil-chk-cl link set eth0 up
ip -n vigil-chk-cl route add default via 203.0.113.1
ip link add vips type dummy && ip link set vips up
ip addr add 192.0.2.10/32 dev vips && ip addr add 192.0.2.11/32 dev vips
sysctl -qw net.ipv4.ip_forward=1

serve() { # N: an HTTP responder in rs N that names itself
	printf 'HTTP/1.0 200 OK\r\n\r\nrs%s\n' "$1" >"$T/rs$1.http"
	ip netns exec vigil-chk-rs$1 socat TCP-LISTEN:80,fork,reuseaddr \
		SYSTEM:"cat $T/rs$1.http" 2>/dev/null &
	eval srv$1=$!
}
ask() { # one request from the client to VIP:80; prints the answering server
	ip netns exec vigil-chk-cl curl -s -m 3 http://$1/ 2>/dev/null | tail -1
}
table() { ipvsadm -Sn | sort; }
wait_for() { # SECONDS COMMAND...
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.3
	done
}
has() { table | grep -qx -- "$1"; }
hasnt() { ! table | grep -q -- "$1"; }

serve 1
serve 2
cat >"$T/vigil.conf" <<'CONF'
virtual_server 192.0.2.10 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.0.1.2 80 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
    real_server 10.0.2.2 80 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
virtual_server 192.0.2.11 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    quorum 2
    sorry_server 10.0.2.2 8080
    real_server 10.0.1.2 80 {
        inhibit_on_failure
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
    real_server 10.0.2.2 80 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
CONF
"$VIGILD" -n -l -C -f "$T/vigil.conf" -p "$T/pid" -c "$T/cpid" >"$T/log" 2>&1 &
pid=$!

if wait_for 20 has "-a -t 192.0.2.10:80 -r 10.0.2.2:80 -m -w 1" &&
	has "-a -t 192.0.2.10:80 -r 10.0.1.2:80 -m -w 1"; then
	tap_ok "both real servers are in the table"
else
	tap_fail "both real servers are in the table"
	table | tap_diag
fi

answers=$(for _ in 1 2 3 4; do ask 192.0.2.10; done | sort | uniq -c | tr -s ' ' | tr '\n' ';')
case $answers in
*" 2 rs1;"*" 2 rs2;"*) tap_ok "round robin: the client is answered by rs1 and rs2 in turn ($answers)" ;;
*) tap_fail "round robin: the client is answered by rs1 and rs2 in turn ($answers)" ;;
esac

kill "$srv1"; wait "$srv1" 2>/dev/null; srv1=''
t0=$SECONDS
if wait_for 20 hasnt "-r 10.0.1.2:80 -m -w 1"; then
	tap_ok "rs1 stopped: it leaves the table ($((SECONDS - t0)) s; delay_loop 1 + connect_timeout 1, retry 0)"
else
	tap_fail "rs1 stopped: it leaves the table"
	table | tap_diag
fi
answers=$(for _ in 1 2 3 4; do ask 192.0.2.10; done | tr '\n' ' ')
[ "$answers" = "rs2 rs2 rs2 rs2 " ] && tap_ok "every request is answered by rs2, none fails" ||
	tap_fail "every request is answered by rs2, none fails (got '$answers')"

has "-a -t 192.0.2.11:80 -r 10.0.1.2:80 -m -w 0" &&
	tap_ok "inhibit_on_failure: rs1 stays in 192.0.2.11 at weight 0" ||
	{ tap_fail "inhibit_on_failure: rs1 stays in 192.0.2.11 at weight 0"; table | tap_diag; }
if has "-a -t 192.0.2.11:80 -r 10.0.2.2:8080 -m -w 1" &&
	hasnt "-a -t 192.0.2.11:80 -r 10.0.2.2:80 "; then
	tap_ok "quorum lost (weight 1 < 2): the sorry server replaces the live real server"
else
	tap_fail "quorum lost (weight 1 < 2): the sorry server replaces the live real server"
	table | tap_diag
fi

serve 1
if wait_for 20 has "-a -t 192.0.2.10:80 -r 10.0.1.2:80 -m -w 1" &&
	wait_for 10 has "-a -t 192.0.2.11:80 -r 10.0.2.2:80 -m -w 1" &&
	wait_for 10 hasnt "10.0.2.2:8080"; then
	tap_ok "rs1 back: it returns, quorum is regained and the sorry server leaves"
else
	tap_fail "rs1 back: it returns, quorum is regained and the sorry server leaves"
	table | tap_diag
fi
kill -TERM "$pid" && wait "$pid"
pid=''
grep -q -E 'Sanitizer|runtime error:' "$T/log" && tap_fail "no sanitizer report" || tap_ok "no sanitizer report"
tail -3 "$T/log" | tap_diag
tap_done
