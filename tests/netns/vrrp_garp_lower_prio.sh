#!/bin/sh
# vrrp_garp_lower_prio_repeat / _delay (and the per-instance
# garp_lower_prio_*): a master that hears a lower-priority advert answers
# with its own at once and announces its VIPs again: a burst of "repeat"
# GARPs now and another "delay" later. Counted on the wire, for vigild and
# for keepalived 2.2.7 in the same role with the same configuration.
# The master also runs notify_master_rx_lower_pri (its own arguments, no
# others) and writes `INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150` on its
# vrrp_notify_fifo, once per lower advert: the same for both daemons.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

VIP=10.99.0.100
printf '#!/bin/sh\nf=$1; shift\necho "$*" >>"$f"\n' >"$T/notify.sh"
chmod 755 "$T/notify.sh"
write_conf() { # FILE PRIORITY STATE [INSTANCE LINES [GLOBAL LINES]]
	cat >"$1" <<CONF
global_defs {
	${5:-}
	vrrp_garp_master_delay 0
	vrrp_garp_master_repeat 1
	vrrp_garp_lower_prio_repeat 3
	vrrp_garp_lower_prio_delay 1
}
vrrp_instance VI_1 {
	version 3
	state $3
	interface eth0
	virtual_router_id 63
	priority $2
	advert_int 0.1
	${4:-}
	virtual_ipaddress {
		$VIP/32
	}
}
CONF
}

net_setup 2 || { not_ok "topology"; done_testing; }
k=0
A2=$(node_ip 2)
GARP1=$(garp_for $VIP "$(node_mac 1)")

# scenario DAEMON TAG IMMEDIATE DELAYED [INSTANCE LINES]: node 1 (DAEMON,
# 150) is master when node 2 (vigild, 100, state MASTER) starts and claims
# the VIP; count node 1's GARPs after node 2's first advert.
scenario() {
	daemon=$1 tag=$2 imm=$3 del=$4 k=$((k + 1))
	PCAP=$T/wire$k.pcap
	capture_start
	write_conf "$T/n1.conf" 150 BACKUP "${5:-}
	notify_master_rx_lower_pri \"$T/notify.sh $T/rx.$k lower-script 'two words'\"" \
		"vrrp_notify_fifo $T/fifo.$k"
	write_conf "$T/n2.conf" 100 MASTER
	if [ "$daemon" = vigild ]; then start_vigild 1 "$T/n1.conf"; else start_keepalived 1 "$T/n1.conf"; fi
	wait_until 2 test -p "$T/fifo.$k"
	# Read-write, so no writer is no end of file.
	cat <>"$T/fifo.$k" >"$T/fifo.$k.out" &
	started_pids="$started_pids $!"
	check "$tag: node 1 (150) becomes master" wait_until 3 only_holder 1 $VIP
	sleep 1.5 # its own bursts are over
	t=$(now_ms)
	start_vigild 2 "$T/n2.conf"
	check "$tag: node 2 (100, state MASTER) yields to node 1" wait_until 3 only_holder 1 $VIP
	sleep 2
	stop_node 2
	stop_node 1
	capture_stop
	cp "$T/n1.log" "$T/n1-$k.log.txt"
	cp "$T/n2.log" "$T/n2-$k.log.txt"
	t_adv=$(first_after "$t" "$(advert4 "$A2" 3 63 100)")
	n_adv=$(wire "$(advert4 "$A2" 3 63 100)" | awk -v t="$t" '$1 * 1000 >= t' | wc -l)
	# (whole ms rounded, less one: vigild answers within the same ms)
	ms=$(awk -v a="${t_adv:-0}" 'BEGIN { printf "%.0f", a * 1000 - 1 }')
	now=$(wire_between "$ms" $((ms + 400)) "$GARP1")
	later=$(wire_between $((ms + 400)) $((ms + 1700)) "$GARP1")
	echo "# $tag: node 2 sent $n_adv lower adverts; node 1 sent $now GARPs within 400 ms, $later from 0.4 to 1.7 s"
	check "$tag: node 2's lower-priority advert is on the wire ($n_adv)" [ "$n_adv" -ge 1 ]
	check "$tag: node 1 answered it with an advert at once" \
		[ -n "$(first_after "$ms" "$(advert4 "$(node_ip 1)" 3 63 150)")" ]
	check "$tag: a burst of $imm GARPs at once ($now, for $n_adv lower adverts)" \
		[ "$now" -eq $((imm * n_adv)) ]
	check "$tag: $del more after the delay ($later)" [ "$later" -ge "$del" ]
	check "$tag: ... and no more than one burst per lower advert ($later)" [ "$later" -le $((del * n_adv)) ]
	n_rx=$(grep -c -x "lower-script two words" "$T/rx.$k" 2>/dev/null)
	check "$tag: notify_master_rx_lower_pri ran once per lower advert, with its own arguments only (${n_rx:-0})" \
		eval '[ "${n_rx:-0}" -eq "$n_adv" ] && [ "$(wc -l <"$T/rx.$k")" -eq "$n_adv" ]'
	n_fifo=$(grep -c -x 'INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150' "$T/fifo.$k.out")
	check "$tag: FIFO: INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 150, once per lower advert (${n_fifo:-0})" \
		[ "${n_fifo:-0}" -eq "$n_adv" ]
	# What the FIFO said, repeats folded, for the comparison below.
	uniq "$T/fifo.$k.out" >"$T/fifo-$daemon-$k"
	diag "$T/fifo-$daemon-$k"
}

scenario vigild "vigild, global repeat 3 delay 1" 3 3
[ -x "$KEEPALIVED" ] && scenario keepalived "keepalived, global repeat 3 delay 1" 3 3
scenario vigild "vigild, instance repeat 2 delay 0" 2 0 "garp_lower_prio_repeat 2
	garp_lower_prio_delay 0"
[ -x "$KEEPALIVED" ] && scenario keepalived "keepalived, instance repeat 2 delay 0" 2 0 "garp_lower_prio_repeat 2
	garp_lower_prio_delay 0"
if [ -x "$KEEPALIVED" ]; then
	check "the FIFO lines of vigild and keepalived are the same" cmp -s "$T/fifo-vigild-1" "$T/fifo-keepalived-2"
fi
done_testing
