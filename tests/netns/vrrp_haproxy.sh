#!/bin/sh
# The seed's scenario: two directors, each running the real haproxy behind
# a VIP, with the seed's keepalived configuration (vrrp_script chk_haproxy
# { script "killall -0 haproxy"; interval 1; weight 2 }, VI_1 tracking it,
# notify_master/notify_backup/notify_fault), the interface renamed to the
# test's. Each director is a network namespace and, so that killall sees
# only its own haproxy, a PID namespace with its own /proc. A client on the
# same bridge fetches http://VIP/ and haproxy answers with the director's
# name.
#
# Stopping haproxy on the master (101 + 2) leaves it at 101, below the
# backup's 100 + 2: the backup preempts, holds the VIP, serves the client,
# and both directors' notify scripts record the change; starting haproxy
# again brings the VIP back. Asserted on the kernel's view, on the wire
# (v2 adverts with priorities 103, 101, 102), on what the client receives,
# and on the files the notify scripts write.
. "${top_srcdir:-.}/tests/netns/lib.sh"
require_root
command -v haproxy >/dev/null 2>&1 || skip_all "haproxy is not installed (Debian package haproxy)"
command -v killall >/dev/null 2>&1 || skip_all "killall is not installed (Debian package psmisc)"
command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
command -v unshare >/dev/null 2>&1 || skip_all "unshare is not installed (util-linux)"
command -v nsenter >/dev/null 2>&1 || skip_all "nsenter is not installed (util-linux)"

VIP=10.99.0.100

# director_files I STATE PRIORITY: keepalived.conf, haproxy.cfg, notify.sh.
director_files() {
	d=$T/d$1
	mkdir -p "$d"
	printf '#!/bin/sh\necho "$1" >>"%s/notified"\n' "$d" >"$d/notify.sh"
	chmod 755 "$d/notify.sh"
	cat >"$d/keepalived.conf" <<CONF
global_defs {
	router_id director$1
}

vrrp_script chk_haproxy {
	script "killall -0 haproxy"	# cheaper than pidof
	interval 1			# check every second
	weight 2			# add 2 points of prio if OK
}

vrrp_instance VI_1 {
	interface eth0
	state $2
	virtual_router_id 51
	priority $3			# 101 on master, 100 on backup
	virtual_ipaddress {
		$VIP
	}
	track_script {
		chk_haproxy
	}
	notify_master "$d/notify.sh MASTER"
	notify_backup "$d/notify.sh BACKUP"
	notify_fault "$d/notify.sh FAULT"
}
CONF
	cat >"$d/haproxy.cfg" <<CONF
global
	maxconn 64
defaults
	mode http
	timeout connect 1s
	timeout client 5s
	timeout server 5s
frontend www
	bind :80
	http-request return status 200 content-type text/plain string director$1
CONF
}

# start_director I: namespace node I, a new PID namespace whose init is a
# shell that starts haproxy and runs vigild (and reaps what exits).
start_director() {
	d=$T/d$1
	: >"$T/n$1.log"
	ip netns exec "$(ns "$1")" unshare --pid --fork --kill-child --mount-proc \
		sh -c "haproxy -db -f '$d/haproxy.cfg' >'$d/haproxy.log' 2>&1 &
			'$VIGILD' -n -l -D -P -f '$d/keepalived.conf' -p '$d/vigild.pid' \
				-r '$d/vrrp.pid' >>'$T/n$1.log' 2>&1" &
	eval "director_$1=$!"
	started_pids="$started_pids $!"
	wait_until 5 director_pid "$1" vigild >/dev/null
}
# director_pid I COMM: the host pid of the director's process named COMM
# (a child of the namespace's init shell).
director_pid() {
	u=$(eval "echo \$director_$1")
	init=$(cat /proc/"$u"/task/*/children 2>/dev/null | awk '{ print $1 }')
	[ -n "$init" ] || return 1
	for c in $(cat /proc/"$init"/task/*/children 2>/dev/null); do
		[ "$(cat /proc/"$c"/comm 2>/dev/null)" = "$2" ] && { echo "$c"; return 0; }
	done
	return 1
}
# stop_haproxy I / start_haproxy I: inside the director's namespaces.
stop_haproxy() {
	p=$(director_pid "$1" haproxy) || return 1
	kill -TERM "$p"
	wait_until 5 dead "$p"
}
start_haproxy() {
	init=$(cat /proc/"$(eval "echo \$director_$1")"/task/*/children | awk '{ print $1 }')
	nsenter -t "$init" -p -m -n sh -c "haproxy -D -f '$T/d$1/haproxy.cfg'" &&
		wait_until 5 director_pid "$1" haproxy >/dev/null
}
stop_director() {
	u=$(eval "echo \$director_$1")
	p=$(director_pid "$1" vigild) && kill -TERM "$p"
	wait_until 10 dead "$u" || kill -KILL "$u"
	wait "$u" 2>/dev/null
}
notified() { grep -q -x "$2" "$T/d$1/notified" 2>/dev/null; }
last_notified() { [ "$(tail -1 "$T/d$1/notified" 2>/dev/null)" = "$2" ]; }
# served_by I: the client (node 3) reaches director I through the VIP.
served_by() {
	[ "$(ip netns exec "$(ns 3)" curl -s -m 1 "http://$VIP/")" = "director$1" ]
}

net_setup 3 || { not_ok "topology"; done_testing; }
director_files 1 MASTER 101
director_files 2 BACKUP 100
capture_start

start_director 1
start_director 2
check "both directors run haproxy in their own PID namespace" \
	eval 'director_pid 1 haproxy >/dev/null && director_pid 2 haproxy >/dev/null'
check "director 1 (101 + 2) holds the VIP" wait_until 6 only_holder 1 $VIP
check "director 2 (100 + 2) stays backup" holds_for 2 only_holder 1 $VIP
check "the client is served by director 1's haproxy through the VIP" \
	wait_until 5 served_by 1
# (Starting up it passes through BACKUP; the two scripts run concurrently,
# as keepalived's do, so only the presence of MASTER is certain here.)
check "director 1 ran notify_master" wait_until 2 notified 1 MASTER
check "director 2 ran notify_backup" wait_until 2 last_notified 2 BACKUP

t_stop=$(now_ms)
check "haproxy stopped on director 1" stop_haproxy 1
check "director 2 takes the VIP (director 1 is at 101 < 102)" wait_until 8 only_holder 2 $VIP
t_moved=$(now_ms)
echo "# the VIP moved $((t_moved - t_stop)) ms after haproxy stopped (script interval 1 s, v2 master down 3 x 1 s + skew)"
check "the client is served by director 2's haproxy" wait_until 5 served_by 2
check "director 2 ran notify_master" wait_until 2 last_notified 2 MASTER
check "director 1 ran notify_backup" wait_until 2 last_notified 1 BACKUP
check "director 2 keeps the VIP while director 1 has no haproxy" holds_for 2 only_holder 2 $VIP

t_start=$(now_ms)
check "haproxy started again on director 1" start_haproxy 1
check "director 1 (103 again) takes the VIP back" wait_until 8 only_holder 1 $VIP
check "the client is served by director 1 again" wait_until 5 served_by 1
check "director 1 ran notify_master again, director 2 notify_backup" \
	wait_until 2 eval 'last_notified 1 MASTER && last_notified 2 BACKUP'
stop_director 2
stop_director 1
capture_stop

A1=$(node_ip 1) A2=$(node_ip 2)
n=$(wire_between 0 "$t_stop" "$(advert4 "$A1" 2 51 103)")
check "wire: director 1 advertised v2 VRID 51 priority 103 while haproxy ran ($n)" [ "$n" -ge 3 ]
n=$(wire_between "$t_stop" "$t_moved" "$(advert4 "$A1" 2 51 101)")
check "wire: director 1 advertised 101 once chk_haproxy failed ($n)" [ "$n" -ge 1 ]
n=$(wire_between "$t_stop" "$t_start" "$(advert4 "$A2" 2 51 102)")
check "wire: director 2 advertised 102 as master ($n)" [ "$n" -ge 2 ]
n=$(wire_between 0 "$t_stop" "$(advert_any "$A2")")
check "wire: director 2 was silent before haproxy stopped ($n)" [ "$n" -eq 0 ]
n=$(wire_count "$(garp_for $VIP "$(node_mac 2)")")
check "wire: director 2 announced the VIP with gratuitous ARP ($n)" [ "$n" -ge 1 ]
n=$(wire_between "$t_start" "$(now_ms)" "$(advert4 "$A1" 2 51 103)")
check "wire: director 1 advertised 103 again after haproxy came back ($n)" [ "$n" -ge 1 ]
done_testing
