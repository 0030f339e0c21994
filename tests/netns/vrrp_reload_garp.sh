#!/bin/sh
# A reload that adds a VIP to a master announces it with a fresh burst:
# garp_master_repeat gratuitous ARPs at once and the same again
# garp_master_delay later (keepalived 2.3.2); the VIP it already had is not
# announced again. Two reloads 0.3 s apart, each adding a VIP: each VIP
# gets both of its bursts (the second reload does not cancel the first
# one's delayed burst).
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root

A=10.99.0.100 B=10.99.0.101 C=10.99.0.102 D=10.99.0.103
write_conf() { # FILE VIP...
	f=$1; shift
	{
		printf 'vrrp_instance VI_1 {\n\tversion 3\n\tinterface eth0\n'
		printf '\tvirtual_router_id 57\n\tpriority 150\n\tadvert_int 0.1\n'
		printf '\tgarp_master_delay 1\n\tgarp_master_repeat 3\n'
		printf '\tvirtual_ipaddress {\n'
		for v in "$@"; do printf '\t\t%s/32\n' "$v"; done
		printf '\t}\n}\n'
	} >"$f"
}
garps_between() { wire_between "$1" "$2" "$(garp_for "$3" "$(node_mac 1)")"; }

net_setup 1 || { not_ok "topology"; done_testing; }
write_conf "$T/n1.conf" $A
capture_start
start_vigild 1 "$T/n1.conf"
check "node 1 becomes master" wait_until 3 holds 1 $A
sleep 1.5 # past its own garp_master_delay burst

write_conf "$T/n1.conf" $A $B
t_r=$(now_ms)
kill -HUP "$(node_pid 1)"
check "the reload added the VIP" wait_until 3 holds 1 $B
sleep 2.5
t_end=$(now_ms)

write_conf "$T/n1.conf" $A $B $C
t_r2=$(now_ms)
kill -HUP "$(node_pid 1)"
check "the second reload added $C" wait_until 3 holds 1 $C
sleep 0.3
write_conf "$T/n1.conf" $A $B $C $D
t_r3=$(now_ms)
kill -HUP "$(node_pid 1)"
check "the third reload, 0.3 s later, added $D" wait_until 3 holds 1 $D
sleep 2.5
t_end3=$(now_ms)
stop_node 1
capture_stop

t1=$(first_after "$t_r" "$(garp_for $B "$(node_mac 1)")")
t1=$(echo "$t1" | awk '{ printf "%.0f", int($1 * 1000) }')
n=$(garps_between "$t1" "$((t1 + 500))" $B)
check "wire: 3 gratuitous ARPs for the added VIP after the reload ($n)" [ "$n" -eq 3 ]
n=$(garps_between "$((t1 + 500))" "$((t1 + 900))" $B)
check "wire: none in the next 0.4 s ($n)" [ "$n" -eq 0 ]
n=$(garps_between "$((t1 + 900))" "$t_end" $B)
check "wire: 3 more garp_master_delay (1 s) after the first ($n)" [ "$n" -eq 3 ]
n=$(garps_between "$t_r" "$t_end" $A)
check "wire: none for the VIP the reload kept ($n)" [ "$n" -eq 0 ]

# Two reloads in quick succession.
for v in $C $D; do
	[ $v = $C ] && t=$t_r2 || t=$t_r3
	t1=$(first_after "$t" "$(garp_for $v "$(node_mac 1)")")
	t1=$(echo "$t1" | awk '{ printf "%.0f", int($1 * 1000) }')
	n=$(garps_between "$t1" "$((t1 + 500))" $v)
	check "wire: 3 gratuitous ARPs for $v at once ($n)" [ "$n" -eq 3 ]
	n=$(garps_between "$((t1 + 900))" "$((t1 + 1500))" $v)
	check "wire: 3 more for $v 1 s later ($n)" [ "$n" -eq 3 ]
	n=$(garps_between "$t_r2" "$t_end3" $v)
	check "wire: 6 in all for $v ($n)" [ "$n" -eq 6 ]
done
n=$(garps_between "$t_r2" "$t_end3" $B)
check "wire: none for $B, which both reloads kept ($n)" [ "$n" -eq 0 ]
done_testing
