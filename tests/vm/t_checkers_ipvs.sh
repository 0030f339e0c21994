#!/bin/bash
# Health checks drive the kernel table (in the VM), the seed's HAProxy
# example in IPVS terms: two nginx real servers behind a NAT virtual server
# (rr, TCP_CHECK) answer a client in turn; stopping one removes it from the
# table within the check's bound, and every request the client (polling all
# along) makes after that is answered by the other; restarting it brings it
# back. A second virtual server shows
# inhibit_on_failure (weight 0, not removal) and quorum with a sorry server.
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-chk.XXXXXX)
pid='' srv1='' srv2='' client=''
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	for p in $srv1 $srv2 $client; do kill "$p" 2>/dev/null; done
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

serve() { # N: nginx in rs N, answering with its name
	mkdir -p "$T/rs$1"
	cat >"$T/rs$1/nginx.conf" <<NGINX
daemon off;
master_process off;
worker_processes 1;
pid $T/rs$1/nginx.pid;
error_log $T/rs$1/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $T/rs$1/cb; proxy_temp_path $T/rs$1/px;
	fastcgi_temp_path $T/rs$1/fc; uwsgi_temp_path $T/rs$1/uw; scgi_temp_path $T/rs$1/sc;
	server {
		listen 10.0.$1.2:80;
		location / { return 200 "rs$1\n"; }
	}
}
NGINX
	ip netns exec vigil-chk-rs$1 nginx -c "$T/rs$1/nginx.conf" 2>/dev/null &
	eval srv$1=$!
	for _ in $(seq 50); do
		ip netns exec vigil-chk-rs$1 ss -Hltn 'sport = :80' | grep -q . && return
		sleep 0.1
	done
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

# The client asks all along (every 0.2 s): "MS ANSWER" lines, FAIL for none.
ip netns exec vigil-chk-cl bash -c 'while :; do
	t=${EPOCHREALTIME/./}
	r=$(curl -s -m 2 http://192.0.2.10/ 2>/dev/null | tail -1)
	echo "$((t / 1000)) ${r:-FAIL}"
	sleep 0.2
done' >"$T/client" 2>/dev/null &
client=$!
sleep 1
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
# rs1 in 192.0.2.10:80, read from /proc (cheap enough to poll under qemu)
rs1_out() {
	awk '$1 == "TCP" { s = $2 }
		s == "C000020A:0050" && $2 == "0A000102:0050" { f = 1 } END { exit f }' /proc/net/ip_vs
}

t0=$(now_ms)
kill "$srv1"; wait "$srv1" 2>/dev/null; srv1=''
if wait_for 20 rs1_out; then
	gone=$(now_ms)
	tap_ok "rs1 stopped: it leaves the table ($((gone - t0)) ms; delay_loop 1 + connect_timeout 1, retry 0)"
else
	gone=$(now_ms)
	tap_fail "rs1 stopped: it leaves the table"
	table | tap_diag
fi
# at least 5 requests after that (curl is slow to start under qemu)
wait_for 30 sh -c "[ \$(awk -v g=$gone '\$1 > g' '$T/client' | wc -l) -ge 5 ]"
kill "$client"; wait "$client" 2>/dev/null; client=''
after=$(awk -v g="$gone" '$1 > g' "$T/client")
n=$(printf '%s\n' "$after" | grep -c .)
bad=$(printf '%s\n' "$after" | grep -vc ' rs2$')
between=$(awk -v t="$t0" -v g="$gone" '$1 >= t && $1 <= g && $2 == "FAIL"' "$T/client" | wc -l)
if [ "$n" -ge 5 ] && [ "$bad" = 0 ]; then
	tap_ok "after the check removed rs1 every request is answered by rs2 ($n requests, none failed; $between failed before)"
else
	tap_fail "after the check removed rs1 every request is answered by rs2 ($n requests, $bad not by rs2)"
	printf '%s\n' "$after" | tap_diag
fi

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
