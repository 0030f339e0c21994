#!/bin/bash
# Every IPVS feature of a virtual server reaches the kernel as written: one
# vigild -C with one config per feature group, then `ipvsadm -Sn` (sorted)
# compared with the table each group must make, line for line: every
# scheduler the kernel has, the sh/mh scheduler flags, persistence (timeout,
# IPv4 netmask, IPv6 prefix, the all-ports service), one-packet scheduling,
# TCP/UDP/SCTP/fwmark services in both families, weights and connection
# thresholds, NAT/DR/TUN with each tunnel type and its port and checksum
# option, and virtual_server_group address ranges, prefixes and fwmarks.
# (keepalived 2.2.7 makes the same table from this config.)
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-feat.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# vs HEAD BODY_LINES... : a virtual server block; "rs ADDR PORT [LINES]"
# lines open (and close) a real server block.
vs() {
	local head=$1 l
	shift
	echo "virtual_server $head {"
	for l; do
		case $l in
		rs\ *) set -- $l; shift
			echo "    real_server $1 $2 {"
			shift 2
			[ $# -gt 0 ] && echo "        $*" | sed 's/ ; /\n        /g'
			echo "    }" ;;
		*) echo "    $l" ;;
		esac
	done
	echo "}"
}
# want GROUP LINES...: the lines of `ipvsadm -Sn` feature GROUP must make.
want() {
	local g=$1
	shift
	printf '%s\n' "$@" >>"$T/want.$g"
	echo "$g" >>"$T/groups"
}

# --- every scheduler of the kernel, one service each
port=0
for s in rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh; do
	port=$((port + 1))
	vs "192.0.2.1 $port" "lb_algo $s" "lb_kind NAT" "protocol TCP" "rs 10.0.0.1 80 weight 1"
	want sched "-A -t 192.0.2.1:$port -s $s" "-a -t 192.0.2.1:$port -r 10.0.0.1:80 -m -w 1"
done >>"$T/vigil.conf"

# --- scheduler flags
{
	vs "192.0.2.2 21" "lb_algo sh" sh-fallback sh-port "lb_kind NAT" "protocol TCP" \
		"rs 10.0.0.1 80 weight 1"
	vs "192.0.2.2 22" "lb_algo mh" mh-port "lb_kind NAT" "protocol TCP" "rs 10.0.0.1 80 weight 1"
	vs "192.0.2.2 23" "lb_algo mh" mh-fallback "lb_kind NAT" "protocol TCP" \
		"rs 10.0.0.1 80 weight 1"
} >>"$T/vigil.conf"
want schedflags "-A -t 192.0.2.2:21 -s sh -b sh-fallback,sh-port" \
	"-a -t 192.0.2.2:21 -r 10.0.0.1:80 -m -w 1" \
	"-A -t 192.0.2.2:22 -s mh -b mh-port" "-a -t 192.0.2.2:22 -r 10.0.0.1:80 -m -w 1" \
	"-A -t 192.0.2.2:23 -s mh -b mh-fallback" "-a -t 192.0.2.2:23 -r 10.0.0.1:80 -m -w 1"

# --- persistence: timeout and IPv4 netmask; all ports; IPv6 default timeout and prefix
{
	vs "192.0.2.3 80" "lb_algo rr" "lb_kind NAT" "protocol TCP" "persistence_timeout 600" \
		"persistence_granularity 255.255.255.0" "rs 10.0.0.1 80 weight 1"
	vs "192.0.2.3 0" "lb_algo wlc" "lb_kind DR" "protocol TCP" "persistence_timeout 120" \
		"rs 10.0.0.1 0 weight 1"
	vs "2001:db8::3 443" "lb_algo rr" "lb_kind NAT" "protocol TCP" "persistence_timeout" \
		"persistence_granularity 64" "rs 2001:db8:1::1 443 weight 1"
} >>"$T/vigil.conf"
want persistence "-A -t 192.0.2.3:80 -s rr -p 600 -M 255.255.255.0" \
	"-a -t 192.0.2.3:80 -r 10.0.0.1:80 -m -w 1" \
	"-A -t 192.0.2.3:0 -s wlc -p 120" "-a -t 192.0.2.3:0 -r 10.0.0.1:0 -g -w 1" \
	"-A -t [2001:db8::3]:443 -s rr -p 360 -M 64" \
	"-a -t [2001:db8::3]:443 -r [2001:db8:1::1]:443 -m -w 1"

# --- one-packet scheduling (UDP)
vs "192.0.2.4 53" "lb_algo rr" "lb_kind NAT" "protocol UDP" ops "rs 10.0.0.1 53 weight 1" \
	>>"$T/vigil.conf"
want ops "-A -u 192.0.2.4:53 -s rr -o" "-a -u 192.0.2.4:53 -r 10.0.0.1:53 -m -w 1"

# --- SCTP services (both families) and fwmark services (both families)
{
	vs "192.0.2.4 38412" "lb_algo rr" "lb_kind DR" "protocol SCTP" "rs 10.0.0.1 38412 weight 1"
	vs "2001:db8::4 5060" "lb_algo rr" "lb_kind NAT" "protocol SCTP" \
		"rs 2001:db8:1::1 5060 weight 1"
	vs "fwmark 7" "lb_algo wrr" "lb_kind DR" "rs 10.0.0.1 0 weight 1"
	vs "fwmark 8" "ip_family inet6" "lb_algo rr" "lb_kind NAT" "rs 2001:db8:1::1 0 weight 1"
} >>"$T/vigil.conf"
want sctp "-A --sctp-service 192.0.2.4:38412 -s rr" \
	"-a --sctp-service 192.0.2.4:38412 -r 10.0.0.1:38412 -g -w 1" \
	"-A --sctp-service [2001:db8::4]:5060 -s rr" \
	"-a --sctp-service [2001:db8::4]:5060 -r [2001:db8:1::1]:5060 -m -w 1"
want fwmark "-A -f 7 -s wrr" "-a -f 7 -r 10.0.0.1:0 -g -w 1" \
	"-A -f 8 -6 -s rr" "-a -f 8 -6 -r [2001:db8:1::1]:0 -m -w 1"

# --- weights (0 and the maximum) and thresholds; TUN set on the virtual server
vs "192.0.2.5 80" "lb_algo wlc" "lb_kind TUN" "protocol TCP" \
	"rs 10.0.0.1 80 weight 3 ; uthreshold 100 ; lthreshold 10" "rs 10.0.0.2 80 weight 0" \
	"rs 10.0.0.3 80 weight 65535 ; uthreshold 1" >>"$T/vigil.conf"
want weights "-A -t 192.0.2.5:80 -s wlc" \
	"-a -t 192.0.2.5:80 -r 10.0.0.1:80 -i -w 3 --tun-type ipip" \
	"-a -t 192.0.2.5:80 -r 10.0.0.2:80 -i -w 0 --tun-type ipip" \
	"-a -t 192.0.2.5:80 -r 10.0.0.3:80 -i -w 65535 --tun-type ipip"

# --- forwarding per real server: NAT, DR, TUN with each tunnel type and option
vs "192.0.2.6 80" "lb_algo rr" "lb_kind NAT" "protocol TCP" "rs 10.0.0.1 80 weight 1" \
	"rs 10.0.0.2 80 lvs_method DR" "rs 10.0.0.3 80 lvs_method TUN" \
	"rs 10.0.0.4 80 lvs_method TUN type ipip" "rs 10.0.0.5 80 lvs_method TUN type gue port 6080" \
	"rs 10.0.0.6 80 lvs_method TUN type gue port 6081 csum" \
	"rs 10.0.0.7 80 lvs_method TUN type gue port 6082 remcsum" \
	"rs 10.0.0.8 80 lvs_method TUN type gre" "rs 10.0.0.9 80 lvs_method TUN type gre csum" \
	"rs 10.0.0.10 80 lvs_method TUN type gre nocsum" >>"$T/vigil.conf"
want forwarding "-A -t 192.0.2.6:80 -s rr" \
	"-a -t 192.0.2.6:80 -r 10.0.0.1:80 -m -w 1" \
	"-a -t 192.0.2.6:80 -r 10.0.0.2:80 -g -w 1" \
	"-a -t 192.0.2.6:80 -r 10.0.0.3:80 -i -w 1 --tun-type ipip" \
	"-a -t 192.0.2.6:80 -r 10.0.0.4:80 -i -w 1 --tun-type ipip" \
	"-a -t 192.0.2.6:80 -r 10.0.0.5:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum" \
	"-a -t 192.0.2.6:80 -r 10.0.0.6:80 -i -w 1 --tun-type gue --tun-port 6081 --tun-csum" \
	"-a -t 192.0.2.6:80 -r 10.0.0.7:80 -i -w 1 --tun-type gue --tun-port 6082 --tun-remcsum" \
	"-a -t 192.0.2.6:80 -r 10.0.0.8:80 -i -w 1 --tun-type gre --tun-nocsum" \
	"-a -t 192.0.2.6:80 -r 10.0.0.9:80 -i -w 1 --tun-type gre --tun-csum" \
	"-a -t 192.0.2.6:80 -r 10.0.0.10:80 -i -w 1 --tun-type gre --tun-nocsum"

# --- virtual_server_group: a range, a prefix, one address, each with its
# port, and a fwmark (IPv4); an IPv6 range (hex last group) and fwmark
cat >>"$T/vigil.conf" <<'CONF'
virtual_server_group web {
    192.0.2.100-102 80
    192.0.2.104/31 8080
    192.0.2.110 443
    fwmark 9
}
virtual_server_group web6 {
    2001:db8::a-c 80
    fwmark 10 inet6
}
CONF
{
	vs "group web" "lb_algo rr" "lb_kind NAT" "protocol TCP" "rs 10.0.0.1 80 weight 2"
	vs "group web6" "lb_algo lc" "lb_kind NAT" "protocol UDP" "rs 2001:db8:1::1 80 weight 1"
} >>"$T/vigil.conf"
for a in 192.0.2.100:80 192.0.2.101:80 192.0.2.102:80 192.0.2.104:8080 192.0.2.105:8080 \
	192.0.2.110:443; do
	want group "-A -t $a -s rr" "-a -t $a -r 10.0.0.1:80 -m -w 2"
done
want group "-A -f 9 -s rr" "-a -f 9 -r 10.0.0.1:80 -m -w 2"
for a in a b c; do
	want group6 "-A -u [2001:db8::$a]:80 -s lc" "-a -u [2001:db8::$a]:80 -r [2001:db8:1::1]:80 -m -w 1"
done
want group6 "-A -f 10 -6 -s lc" "-a -f 10 -6 -r [2001:db8:1::1]:80 -m -w 1"

"$VIGILD" -n -l -C -f "$T/vigil.conf" -p "$T/pid" -c "$T/cpid" >"$T/log" 2>&1 &
pid=$!

# The checker child applies the table in one batch: wait (cheaply, on
# /proc) until every destination is there, then read it once with ipvsadm.
ndest=$(cat "$T"/want.* | grep -c '^-a ')
dests() { awk '$1 == "->" && $2 != "RemoteAddress:Port"' /proc/net/ip_vs | wc -l; }
end=$((SECONDS + 30))
until [ "$(dests)" -ge "$ndest" ] || [ $SECONDS -ge $end ]; do sleep 0.2; done
ipvsadm -Sn | sort >"$T/have"

# check GROUP DESCRIPTION: every line GROUP wants is in the table.
check() {
	local missing
	missing=$(sort "$T/want.$1" | comm -23 - "$T/have")
	if [ -z "$missing" ]; then tap_ok "$2"; else
		tap_fail "$2"
		printf 'missing: %s\n' "$missing" | tap_diag
		grep -F -- "$(head -1 "$T/want.$1" | cut -d' ' -f2-3)" "$T/have" | tap_diag
	fi
}
check sched "every scheduler: rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh"
check schedflags "scheduler flags: sh-fallback, sh-port, mh-port, mh-fallback"
check persistence "persistence: timeout, IPv4 netmask, all-ports service, IPv6 default timeout and prefix"
check ops "one-packet scheduling (ops) on UDP"
check sctp "SCTP services, IPv4 and IPv6"
check fwmark "fwmark services, IPv4 and IPv6 (ip_family inet6)"
check weights "weights 0, 3 and 65535; lb_kind TUN inherited by the real servers"
check forwarding "per real server NAT, DR, TUN ipip/gue/gre with gue port and csum/nocsum/remcsum"
check group "virtual_server_group: range, prefix, single address with ports, fwmark"
check group6 "virtual_server_group: IPv6 range (last group, hex) and an inet6 fwmark"
extra=$(sort -u "$T"/want.* | comm -13 - "$T/have")
[ -z "$extra" ] && tap_ok "nothing else in the table ($(wc -l <"$T/have") lines)" ||
	{ tap_fail "nothing else in the table"; printf '%s\n' "$extra" | tap_diag; }

# ipvsadm -S does not print thresholds; -L --thresholds does.
thresholds=$(ipvsadm -Ln --thresholds -t 192.0.2.5:80 | awk '$1 == "->" && $2 ~ /^10/ { print $2, $3, $4 }' | sort | tr '\n' ';')
[ "$thresholds" = "10.0.0.1:80 100 10;10.0.0.2:80 0 0;10.0.0.3:80 1 0;" ] &&
	tap_ok "upper and lower connection thresholds (uthreshold, lthreshold)" ||
	tap_fail "upper and lower connection thresholds (got '$thresholds')"

kill -TERM "$pid" && wait "$pid"
pid=
[ -z "$(ipvsadm -Sn)" ] && tap_ok "a clean stop removes every service" ||
	tap_fail "a clean stop removes every service"
grep -E 'Sanitizer|runtime error:| error' "$T/log" | tap_diag
grep -q -E 'Sanitizer|runtime error:' "$T/log" && tap_fail "no sanitizer report" ||
	tap_ok "no sanitizer report"
tap_done
