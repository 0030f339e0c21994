#!/bin/sh
# track_script moves the VIP. Two vigild nodes (priority 150 and 100, v3,
# advert_int 0.1); node 1 tracks two vrrp_scripts that test for a file:
#  - chk_weight (weight -60): failing drops node 1 to 90, it advertises 90
#    at once and node 2 preempts; recovering takes node 1 back to 150 and
#    it preempts again;
#  - chk_fault (weight 0): failing puts node 1 in FAULT (a priority-0
#    advert, then silence) and node 2 takes over; recovering brings node 1
#    back, and it preempts.
# The scripts get a 2 s timeout: the default (the interval, 100 ms) is
# shorter than forking a shell takes on a loaded 2-core machine, and a
# timed-out chk_fault is a fault.
# Asserted on the kernel's view (who holds the VIP), the wire (adverts and
# their priorities) and the notify scripts' files.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=10.99.0.100
printf '#!/bin/sh\n[ -e "$1" ]\n' >"$T/chk.sh"
printf '#!/bin/sh\nf=$1; shift\necho "$*" >>"$f"\n' >"$T/notify.sh"
chmod 755 "$T/chk.sh" "$T/notify.sh"

write_conf() { # FILE PRIORITY TRACKS
	cat >"$1" <<CONF
vrrp_script chk_weight {
	script "$T/chk.sh $T/ok_weight"
	interval 0.1
	timeout 2
	weight -60
}
vrrp_script chk_fault {
	script "$T/chk.sh $T/ok_fault"
	interval 0.1
	timeout 2
	weight 0
}
vrrp_instance VI_1 {
	version 3
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 0.1
	virtual_ipaddress {
		$VIP/32
	}
	notify "$T/notify.sh $T/notify.$2"
$3
}
CONF
}
notified() { grep -q -x -- "$2" "$T/notify.$1" 2>/dev/null; }

net_setup 2 || { not_ok "topology"; done_testing; }
touch "$T/ok_weight" "$T/ok_fault"
write_conf "$T/n1.conf" 150 "	track_script {
		chk_weight
		chk_fault
	}"
write_conf "$T/n2.conf" 100 ""
capture_start

start_vigild 1 "$T/n1.conf"
check "node 1 (150, both scripts passing) becomes master" wait_until 3 only_holder 1 $VIP
start_vigild 2 "$T/n2.conf"
check "node 2 (100) stays backup" holds_for 1 only_holder 1 $VIP

# weight -60: 150 - 60 = 90 < 100.
t_w_fail=$(now_ms)
rm "$T/ok_weight"
check "chk_weight fails: node 2 takes the VIP" wait_until 3 only_holder 2 $VIP
check "node 1 ran notify BACKUP with its lowered priority 90" \
	wait_until 2 notified 150 "INSTANCE VI_1 BACKUP 90"
check "node 2 ran notify MASTER 100" wait_until 2 notified 100 "INSTANCE VI_1 MASTER 100"
check "node 2 keeps the VIP while the script fails" holds_for 1 only_holder 2 $VIP
t_w_ok=$(now_ms)
touch "$T/ok_weight"
check "chk_weight recovers: node 1 (150 again) preempts" wait_until 3 only_holder 1 $VIP
check "node 1 ran notify MASTER 150 again" wait_until 2 notified 150 "INSTANCE VI_1 MASTER 150"

# weight 0: FAULT.
sleep 0.5
t_f_fail=$(now_ms)
rm "$T/ok_fault"
check "chk_fault fails: node 2 takes the VIP" wait_until 3 only_holder 2 $VIP
check "node 1 ran notify FAULT" wait_until 2 notified 150 "INSTANCE VI_1 FAULT 150"
check "node 1 stays out while in FAULT" holds_for 1 only_holder 2 $VIP
t_f_ok=$(now_ms)
touch "$T/ok_fault"
check "chk_fault recovers: node 1 leaves FAULT and preempts" wait_until 3 only_holder 1 $VIP
check "node 1 keeps the VIP" holds_for 0.5 only_holder 1 $VIP
stop_node 2
stop_node 1
capture_stop

A1=$(node_ip 1) A2=$(node_ip 2)
n=$(wire_between "$t_w_fail" "$t_w_ok" "$(advert4 "$A1" 3 51 90)")
check "wire: node 1 advertised priority 90 once chk_weight failed ($n)" [ "$n" -ge 1 ]
n=$(wire_between "$t_w_fail" "$t_w_ok" "$(advert4 "$A2" 3 51 100)")
check "wire: node 2 advertised as master while chk_weight failed ($n)" [ "$n" -ge 5 ]
n=$(wire_between "$t_w_ok" "$t_f_fail" "$(advert4 "$A1" 3 51 150)")
check "wire: node 1 advertised 150 again after chk_weight recovered ($n)" [ "$n" -ge 3 ]
n=$(wire_between "$t_f_fail" "$t_f_ok" "$(advert4 "$A1" 3 51 0)")
check "wire: node 1 sent a priority-0 advert on entering FAULT ($n)" [ "$n" -ge 1 ]
n=$(wire_between "$((t_f_fail + 500))" "$t_f_ok" "$(advert_any "$A1")")
check "wire: node 1 was silent in FAULT ($n adverts)" [ "$n" -eq 0 ]
n=$(wire_between "$t_f_fail" "$t_f_ok" "$(advert4 "$A2" 3 51 100)")
check "wire: node 2 advertised as master while node 1 was in FAULT ($n)" [ "$n" -ge 5 ]
done_testing
