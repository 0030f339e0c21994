#!/bin/sh
# An instance removed by a reload (keepalived.conf(5), notify_deleted): it
# gives up its VIP (priority-0 advert, address gone) and notifies FAULT
# (notify ... FAULT; keepalived 2.2.7 runs no notify_fault script there) --
# or DELETED (notify_deleted's script, notify ... DELETED) with
# notify_deleted -- and nothing when it was in FAULT already without
# notify_deleted. vigild and keepalived 2.2.7 run the
# same configurations and reload; their notify scripts record the same.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

printf '#!/bin/sh\nf=$1; shift\necho "$*" >>"$f"\n' >"$T/notify.sh"
chmod 755 "$T/notify.sh"
# instance NAME VRID PRIORITY EXTRA NODE
instance() {
	cat <<CONF
vrrp_instance $1 {
	state BACKUP
	interface eth0
	virtual_router_id $2
	priority $3
	advert_int 1
	notify_master "$T/notify.sh $T/log.$5 $1 master-script"
	notify_fault "$T/notify.sh $T/log.$5 $1 fault-script"
	notify_stop "$T/notify.sh $T/log.$5 $1 stop-script"
	notify "$T/notify.sh $T/log.$5"
	$4
	virtual_ipaddress {
		10.99.$5.$2/32
	}
}
CONF
}
write_conf() { # FILE NODE ALL
	{
		echo "global_defs {"
		echo "	vrrp_garp_master_delay 0"
		echo "	vrrp_notify_fifo $T/fifo.$2"
		echo "}"
		instance VI_KEEP 10 100 "" "$2"
		if [ "$3" = all ]; then
			instance VI_DEL 11 150 "notify_deleted \"$T/notify.sh $T/log.$2 VI_DEL deleted-script\"" "$2"
			instance VI_BARE 12 120 "notify_deleted" "$2"
			instance VI_PLAIN 15 130 "" "$2"
			instance VI_FAULT 13 100 "" "$2"
			instance VI_FAULTD 14 100 "notify_deleted" "$2"
		fi
	} >"$1"
	# Two instances in FAULT: their interface (a veth) is down.
	sed -i "/VI_FAULT/,/^}/ s/interface eth0/interface dn0/" "$1"
}

net_setup 2 || { not_ok "topology"; done_testing; }
ip -n "$(ns 1)" link add dn0 type veth peer name dn1
ip -n "$(ns 2)" link add dn0 type veth peer name dn1
capture_start

holds_addr() { ip -n "$(ns "$1")" -4 addr show | grep -q "inet $2/"; }
# run NODE DAEMON
run() {
	nd=$1
	write_conf "$T/n$1.conf" "$1" all
	if [ "$2" = vigild ]; then start_vigild "$1" "$T/n$1.conf"; else start_keepalived "$1" "$T/n$1.conf"; fi
	wait_until 2 test -p "$T/fifo.$1"
	# Read-write, so no writer is no end of file.
	cat <>"$T/fifo.$1" >"$T/fifo.$1.out" &
	started_pids="$started_pids $!"
	check "$2: VI_DEL, VI_BARE and VI_PLAIN become master" \
		wait_until 6 eval 'holds_addr $nd 10.99.$nd.11 && holds_addr $nd 10.99.$nd.12 && holds_addr $nd 10.99.$nd.15'
	check "$2: VI_FAULT and VI_FAULTD report FAULT" \
		wait_until 3 eval 'grep -q "INSTANCE VI_FAULT FAULT" $T/log.$nd && grep -q "INSTANCE VI_FAULTD FAULT" $T/log.$nd'
	sleep 0.5
	cp "$T/log.$1" "$T/before.$1"
	cp "$T/fifo.$1.out" "$T/fifo.$1.before"
	write_conf "$T/n$1.conf" "$1" one
	t=$(now_ms)
	kill -HUP "$(node_pid "$1")"
	# keepalived makes its FIFO again on reload (what it writes there
	# waits in the pipe): read the new one too.
	sleep 0.5
	cat <>"$T/fifo.$1" >"$T/fifo.$1.out2" &
	started_pids="$started_pids $!"
	check "$2: the removed masters give up their VIPs" \
		wait_until 3 eval '! holds_addr $nd 10.99.$nd.11 && ! holds_addr $nd 10.99.$nd.12 && ! holds_addr $nd 10.99.$nd.15'
	check "$2: VI_KEEP keeps its VIP" holds_addr "$1" 10.99.$1.10
	sleep 1
	# What the reload added to the notify log.
	tail -n +$(($(wc -l <"$T/before.$1") + 1)) "$T/log.$1" | sort >"$T/reload.$1"
	# ... and to the FIFO (the lines of instances no longer configured)
	cat "$T/fifo.$1.out" "$T/fifo.$1.out2" | grep -E "VI_(DEL|BARE|PLAIN|FAULT)" |
		grep -v -E " (MASTER|BACKUP) " |
		grep -v -x -F -f "$T/fifo.$1.before" | sed 's/^/fifo: /' | sort >>"$T/reload.$1"
	echo "# $2 notified on reload:"; diag "$T/reload.$1"
	stop_node "$1"
}

run 1 vigild
check "vigild: notify_deleted's script ran for VI_DEL" grep -q -x "VI_DEL deleted-script" "$T/reload.1"
check "vigild: notify INSTANCE VI_DEL DELETED 150" grep -q -x "INSTANCE VI_DEL DELETED 150" "$T/reload.1"
check "vigild: notify INSTANCE VI_BARE DELETED 120 (notify_deleted without a script)" \
	grep -q -x "INSTANCE VI_BARE DELETED 120" "$T/reload.1"
check "vigild: notify INSTANCE VI_FAULTD DELETED 100 (notify_deleted: even from FAULT)" \
	grep -q -x "INSTANCE VI_FAULTD DELETED 100" "$T/reload.1"
check "vigild: nothing for VI_FAULT (FAULT already, no notify_deleted)" \
	eval '! grep -q VI_FAULT\  "$T/reload.1"'
check "vigild: notify INSTANCE VI_PLAIN FAULT 130 (no notify_deleted)" \
	grep -q -x "INSTANCE VI_PLAIN FAULT 130" "$T/reload.1"
check "vigild: no fault or stop script for any of them (keepalived runs none)" \
	eval '! grep -q -E "(fault|stop)-script" "$T/reload.1"'
check "vigild: nothing for VI_KEEP" eval '! grep -q VI_KEEP "$T/reload.1"'
check "vigild: the FIFO says DELETED / FAULT too" \
	eval 'grep -q -x "fifo: INSTANCE \"VI_DEL\" DELETED 150" "$T/reload.1" &&
	      grep -q -x "fifo: INSTANCE \"VI_PLAIN\" FAULT 130" "$T/reload.1"'

if [ -x "$KEEPALIVED" ]; then
	run 2 keepalived
	check "keepalived 2.2.7 notified exactly the same on reload" cmp -s "$T/reload.1" "$T/reload.2"
	cmp -s "$T/reload.1" "$T/reload.2" || diff "$T/reload.1" "$T/reload.2" | diag
fi
capture_stop
for i in 1 2; do
	[ $i = 2 ] && [ ! -x "$KEEPALIVED" ] && continue
	n=$(wire_count "$(advert4 "$(node_ip $i)" 2 11 0)")
	check "wire: node $i sent VI_DEL's priority-0 advert on the reload ($n)" [ "$n" -ge 1 ]
done
done_testing
