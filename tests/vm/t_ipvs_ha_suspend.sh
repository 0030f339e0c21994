#!/bin/bash
# ha_suspend, as keepalived.conf(5) means it: "If VS IP address is not set,
# suspend healthchecker's activity". While the virtual server's address is
# on no local interface its real servers keep the verdict they had; once
# the address is local, the checks decide again. For a virtual_server_group
# the checks run while any address of its ranges is local (as keepalived's
# addr_matches()).
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-hasusp.XXXXXX)
pid= srv=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

cat >"$T/vigil.conf" <<'CONF'
virtual_server 192.0.2.50 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    delay_loop 1
    ha_suspend
    real_server 127.0.0.1 8081 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
virtual_server_group grp {
    192.0.2.60-62 80
}
virtual_server group grp {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    delay_loop 1
    ha_suspend
    real_server 127.0.0.1 8082 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
CONF
until_ok() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	"$@"
}
rs_in() { ipvsadm -Ln -t 192.0.2.50:80 | grep -q '127.0.0.1:8081'; }
rs_out() { ipvsadm -Ln -t 192.0.2.50:80 >/dev/null && ! rs_in; }
# the group's real server (nothing listens on 8082), in each of its services
grp_in() { [ "$(ipvsadm -Ln | grep -c '127.0.0.1:8082')" = 3 ]; }
grp_out() { ipvsadm -Ln -t 192.0.2.61:80 >/dev/null && ! ipvsadm -Ln | grep -q '127.0.0.1:8082'; }
show() { { ipvsadm -Ln; tail -6 "$T/log"; } | tap_diag; }
check() { # check DESC PREDICATE [WAIT]
	if until_ok "${3:-15}" "$2"; then tap_ok "$1"; else tap_fail "$1"; show; fi
}

"$VIGILD" -n -l -C -f "$T/vigil.conf" -p "$T/pid" -c "$T/cpid" >>"$T/log" 2>&1 &
pid=$!
check "start, VIP not local: the real server keeps its initial verdict (up)" rs_in
sleep 3 # several failed checks (nothing listens on 8081)
check "failing checks change nothing while suspended" rs_in 1
check "group: no address of its range local, its failing checks change nothing" grp_in 1
ip addr add 192.0.2.61/32 dev lo
check "group: one address of its range (192.0.2.61) local: checks resume, the real server goes" grp_out

ip addr add 192.0.2.50/32 dev lo
check "VIP local: checks resume, the failing real server goes" rs_out

ip addr del 192.0.2.50/32 dev lo
sleep 1
socat TCP-LISTEN:8081,fork,reuseaddr /dev/null &
srv=$!
sleep 3
check "VIP gone again: a recovered real server stays out while suspended" rs_out 1

ip addr add 192.0.2.50/32 dev lo
check "VIP back: the recovered real server comes in" rs_in
tap_done
