#!/bin/bash
# lvs_sync_daemon follows its VRRP instance: vigild -n -l runs both
# children; the parent relays the VRRP child's instance states to the
# checker child, which runs the kernel's sync daemon as master while the
# instance is MASTER and as backup otherwise (here: FAULT when its
# interface goes down). A reload that drops lvs_sync_daemon stops it.
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-syncd.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip link del dum0 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

ip link add dum0 type dummy
ip link set dum0 up
ip addr add 10.9.0.1/24 dev dum0

conf() { # conf GLOBAL_DEFS_LINES...
	{
		echo "global_defs {"
		printf '    %s\n' "$@"
		echo "}"
		cat <<'CONF'
vrrp_instance VI_1 {
    version 3
    state BACKUP
    interface dum0
    virtual_router_id 51
    priority 100
    advert_int 0.1
    virtual_ipaddress {
        10.9.0.100/32
    }
}
CONF
	} >"$T/vigil.conf"
}
daemons() { ipvsadm -L --daemon; }
until_ok() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	"$@"
}
only() { # only ROLE: exactly one daemon, ROLE, on dum0 with syncid 7 and port 8900
	local d
	d=$(daemons)
	[ "$(echo "$d" | grep -c 'sync daemon')" = 1 ] &&
		echo "$d" | grep -q "^$1 sync daemon (mcast=dum0, syncid=7,.*port=8900, ttl=2)"
}
none() { [ -z "$(daemons)" ]; }
show() { { daemons; tail -6 "$T/log"; } | tap_diag; }

conf "lvs_sync_daemon dum0 VI_1 id 7 port 8900 ttl 2"
"$VIGILD" -n -l -f "$T/vigil.conf" -p "$T/pid" -r "$T/vpid" -c "$T/cpid" >>"$T/log" 2>&1 &
pid=$!

if until_ok 20 only master; then tap_ok "the instance became MASTER: master sync daemon"; else
	tap_fail "the instance became MASTER: master sync daemon"; show; fi
tap_check "the VIP is on dum0" until_ok 5 ip -o addr show dev dum0 to 10.9.0.100

ip link set dum0 down
if until_ok 20 only backup; then tap_ok "interface down, instance FAULT: backup sync daemon"; else
	tap_fail "interface down, instance FAULT: backup sync daemon"; show; fi

ip link set dum0 up
if until_ok 20 only master; then tap_ok "interface up, MASTER again: master sync daemon"; else
	tap_fail "interface up, MASTER again: master sync daemon"; show; fi

conf
kill -HUP "$pid"
if until_ok 20 none; then tap_ok "reload without lvs_sync_daemon stops it"; else
	tap_fail "reload without lvs_sync_daemon stops it"; show; fi

conf "lvs_sync_daemon dum0 VI_1 id 7 port 8900 ttl 2"
kill -HUP "$pid"
if until_ok 20 only master; then tap_ok "reload with it again: master at once"; else
	tap_fail "reload with it again: master at once"; show; fi

kill -TERM "$pid" && wait "$pid"
pid=
tap_check "a clean stop stops the sync daemon" none
tap_done
