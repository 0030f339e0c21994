#!/bin/sh
# What a reload notifies, vigild beside keepalived 2.2.7 with the same
# configurations (notify scripts and vrrp_notify_fifo, compared as sets):
#  - VI_VRID changes its VRID: keepalived no longer finds the old router
#    (vrrp_exist()), so the old one is notified as deleted (FAULT without
#    notify_deleted, no notify_fault script), and the new one goes BACKUP,
#    then MASTER;
#  - sync group G2 {VI_C, VI_D}: VI_D changes its VRID: VI_D as above, and
#    the group, no longer all MASTER, takes VI_C back to BACKUP (G2 BACKUP,
#    scripts and lines), then both and G2 become MASTER together;
#  - sync group G1 {VI_A, VI_B} removed, its members kept: nothing (no
#    DELETED for a group in keepalived 2.2.7), nor for VI_KEEP;
#  - fifo_write_vrrp_states_on_reload: the FIFO line of group G3 {VI_KEEP}
#    (MASTER, kept) and of VI_F (FAULT: its interface is down, kept); none
#    for the masters kept (VI_KEEP, VI_A, VI_B), as keepalived.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

printf '#!/bin/sh\nf=$1; shift\necho "$*" >>"$f"\n' >"$T/notify.sh"
chmod 755 "$T/notify.sh"
inst() { # NAME VRID NODE
	cat <<CONF
vrrp_instance $1 {
	state MASTER
	interface eth0
	virtual_router_id $2
	priority 100
	advert_int 1
	notify_master "$T/notify.sh $T/log.$3 $1 master-script"
	notify_backup "$T/notify.sh $T/log.$3 $1 backup-script"
	notify_fault "$T/notify.sh $T/log.$3 $1 fault-script"
	notify "$T/notify.sh $T/log.$3"
	virtual_ipaddress {
		10.99.$3.$2/32
	}
}
CONF
}
group() { # NAME NODE MEMBER MEMBER
	cat <<CONF
vrrp_sync_group $1 {
	group {
		$3
		$4
	}
	notify_master "$T/notify.sh $T/log.$2 $1 gmaster-script"
	notify_backup "$T/notify.sh $T/log.$2 $1 gbackup-script"
	notify_fault "$T/notify.sh $T/log.$2 $1 gfault-script"
	notify "$T/notify.sh $T/log.$2"
}
CONF
}
write_conf() { # FILE NODE PHASE
	{
		echo "global_defs {"
		echo "	vrrp_garp_master_delay 0"
		echo "	vrrp_notify_fifo $T/fifo.$2"
		echo "	fifo_write_vrrp_states_on_reload"
		echo "}"
		inst VI_KEEP 10 "$2"
		inst VI_F 70 "$2" | sed 's/interface eth0/interface dn0/'
		echo "vrrp_sync_group G3 { group { VI_KEEP } }"
		inst VI_A 50 "$2"
		inst VI_B 51 "$2"
		inst VI_C 60 "$2"
		group G2 "$2" VI_C VI_D
		if [ "$3" = 1 ]; then
			inst VI_VRID 20 "$2"
			inst VI_D 61 "$2"
			group G1 "$2" VI_A VI_B
		else
			inst VI_VRID 21 "$2"
			inst VI_D 62 "$2"
		fi
	} >"$1"
}

net_setup 2 || { not_ok "topology"; done_testing; }
ip -n "$(ns 1)" link add dn0 type veth peer name dn1
ip -n "$(ns 2)" link add dn0 type veth peer name dn1
holds_all() { # NODE LAST-OCTETS...
	h=$1; shift
	for o; do holds "$h" "10.99.$h.$o" || return 1; done
}
run() { # NODE DAEMON
	nd=$1
	write_conf "$T/n$1.conf" "$1" 1
	if [ "$2" = vigild ]; then start_vigild "$1" "$T/n$1.conf"; else start_keepalived "$1" "$T/n$1.conf"; fi
	wait_until 2 test -p "$T/fifo.$1"
	# Read-write, so no writer is no end of file.
	cat <>"$T/fifo.$1" >"$T/fifo.$1.out" &
	started_pids="$started_pids $!"
	check "$2: every instance becomes master" wait_until 8 holds_all "$1" 10 20 50 51 60 61
	sleep 1
	l=$(wc -l <"$T/log.$1") f=$(wc -l <"$T/fifo.$1.out")
	write_conf "$T/n$1.conf" "$1" 2
	kill -HUP "$(node_pid "$1")"
	# keepalived makes its FIFO again on reload: read the new one too.
	sleep 0.5
	cat <>"$T/fifo.$1" >"$T/fifo.$1.out2" &
	started_pids="$started_pids $!"
	check "$2: the old VI_VRID and VI_D give their VIPs up" \
		wait_until 3 eval '! holds $nd 10.99.$nd.20 && ! holds $nd 10.99.$nd.61'
	check "$2: the new VI_VRID, VI_D and VI_C are master" wait_until 8 holds_all "$1" 21 62 60
	check "$2: VI_KEEP, VI_A and VI_B kept their VIPs" holds_all "$1" 10 50 51
	sleep 1
	# What the reload added to the notify log and to the FIFO.
	tail -n +$((l + 1)) "$T/log.$1" | sort >"$T/reload.$1"
	{ tail -n +$((f + 1)) "$T/fifo.$1.out"; cat "$T/fifo.$1.out2"; } | sed 's/^/fifo: /' |
		sort >>"$T/reload.$1"
	echo "# $2 notified on reload:"; diag "$T/reload.$1"
	stop_node "$1"
}
has() { grep -q -x -- "$2" "$T/reload.$1"; }

run 1 vigild
check "vigild: the old VI_VRID notified as deleted (notify FAULT, FIFO FAULT)" \
	eval 'has 1 "INSTANCE VI_VRID FAULT 100" && has 1 "fifo: INSTANCE \"VI_VRID\" FAULT 100"'
check "vigild: the new VI_VRID: backup, then master" \
	eval 'has 1 "VI_VRID backup-script" && has 1 "INSTANCE VI_VRID BACKUP 100" &&
	      has 1 "VI_VRID master-script" && has 1 "INSTANCE VI_VRID MASTER 100"'
check "vigild: the old VI_D notified as deleted" has 1 "INSTANCE VI_D FAULT 100"
check "vigild: no notify_fault script for the deleted ones" eval '! grep -q fault-script "$T/reload.1"'
check "vigild: VI_C went back to BACKUP with its group, then MASTER" \
	eval 'has 1 "VI_C backup-script" && has 1 "INSTANCE VI_C BACKUP 100" &&
	      has 1 "VI_C master-script" && has 1 "fifo: INSTANCE \"VI_C\" MASTER 100"'
check "vigild: G2 BACKUP then MASTER (scripts, notify, FIFO)" \
	eval 'has 1 "G2 gbackup-script" && has 1 "GROUP G2 BACKUP 0" && has 1 "fifo: GROUP \"G2\" BACKUP 0" &&
	      has 1 "G2 gmaster-script" && has 1 "GROUP G2 MASTER 0" && has 1 "fifo: GROUP \"G2\" MASTER 0"'
check "vigild: nothing for G1 (removed), VI_A, VI_B, VI_KEEP" \
	eval '! grep -q -E "G1|VI_A|VI_B|VI_KEEP" "$T/reload.1"'
check "vigild: fifo_write_vrrp_states_on_reload: G3 MASTER and VI_F FAULT on the FIFO, nothing else for them" \
	eval 'has 1 "fifo: GROUP \"G3\" MASTER 0" && has 1 "fifo: INSTANCE \"VI_F\" FAULT 100" &&
	      [ "$(grep -c -E "G3|VI_F" "$T/reload.1")" -eq 2 ]'

if [ -x "$KEEPALIVED" ]; then
	run 2 keepalived
	check "keepalived 2.2.7 notified exactly the same on reload" cmp -s "$T/reload.1" "$T/reload.2"
	cmp -s "$T/reload.1" "$T/reload.2" || diff "$T/reload.1" "$T/reload.2" | diag
fi
done_testing
