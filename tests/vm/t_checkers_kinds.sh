#!/bin/bash
# Every checker drives the kernel table (in the VM), against real servers in
# a network namespace: nginx (HTTP_GET, SSL_GET with a certificate made
# here), dnsmasq (DNS_CHECK), a socat SMTP banner (SMTP_CHECK), a socat UDP
# responder (UDP_CHECK with payload and require_reply), an address that
# answers ping (PING_CHECK), a script (MISC_CHECK) and a tracked file
# (FILE_CHECK). Stopping each service takes its destination out of the
# table (DNS_CHECK's has inhibit_on_failure: weight 0) within delay_loop +
# retry x delay_before_retry + connect_timeout (plus one connect_timeout
# per retry where the failure is a timeout); restarting brings it back.
# (TCP_CHECK, round robin, quorum and sorry server: t_checkers_ipvs.sh.)
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-ckk.XXXXXX)
NS=vigil-ckk-$$
pid=''
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	for f in "$T"/*.pid; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

RS=10.0.5.2 PINGED=10.0.5.3
ip netns add "$NS"
ip link add d-ckk type veth peer name eth0 netns "$NS"
ip addr add 10.0.5.1/24 dev d-ckk && ip link set d-ckk up
ip -n "$NS" addr add $RS/24 dev eth0 && ip -n "$NS" addr add $PINGED/24 dev eth0
ip -n "$NS" link set eth0 up && ip -n "$NS" link set lo up
# A closed UDP port answers every probe with port unreachable.
ip netns exec "$NS" sysctl -qw net.ipv4.icmp_ratelimit=0

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
# until_ok SECONDS COMMAND...: poll COMMAND every 0.25 s.
until_ok() {
	local end=$(($(now_ms) + $1 * 1000))
	shift
	until "$@"; do
		[ "$(now_ms)" -ge $end ] && return 1
		sleep 0.25
	done
}
listening() { ip netns exec "$NS" ss -Hln "$@" | grep -q .; }
# bg NAME COMMAND...: a server in the namespace, its pid in $T/NAME.pid.
bg() {
	local name=$1
	shift
	ip netns exec "$NS" "$@" >"$T/$name.log" 2>&1 &
	echo $! >"$T/$name.pid"
}
# stop NAME: stop it and wait until it is gone (it may be another
# subshell's child: no wait).
stop() {
	local p
	p=$(cat "$T/$1.pid")
	kill "$p" 2>/dev/null
	while kill -0 "$p" 2>/dev/null; do sleep 0.05; done
	: >"$T/$1.pid"
}

# --- the real servers
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-subj /CN=rs.test -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1
cat >"$T/nginx.conf" <<NGINX
daemon off;
master_process off;
worker_processes 1;
pid $T/nginx.pid.file;
error_log $T/nginx.err;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $T/cb; proxy_temp_path $T/px; fastcgi_temp_path $T/fc;
	uwsgi_temp_path $T/uw; scgi_temp_path $T/sc;
	server {
		listen $RS:80;
		listen $RS:443 ssl;
		ssl_certificate $T/cert.pem;
		ssl_certificate_key $T/key.pem;
		location = /health { return 200 "healthy\n"; }
	}
}
NGINX
cat >"$T/smtp.sh" <<'SH'
#!/bin/sh
printf '220 mx.test ESMTP\r\n'
read -r line
case $line in HELO\ ?*) printf '250 mx.test\r\n' ;; *) printf '500 what\r\n' ;; esac
read -r line
printf '221 bye\r\n'
SH
chmod 755 "$T/smtp.sh"
start_services() {
	bg nginx nginx -c "$T/nginx.conf"
	mark started 192.0.2.31:80 192.0.2.32:443
	bg dns dnsmasq -k -C /dev/null -u root --no-resolv --no-hosts --bind-interfaces \
		--listen-address=$RS --port=53 --host-record=www.test,10.9.9.9 \
		--pid-file="$T/dnsmasq.pidf"
	mark started 192.0.2.33:53
	bg smtp socat TCP-LISTEN:25,bind=$RS,fork,reuseaddr EXEC:"$T/smtp.sh"
	mark started 192.0.2.34:25
	bg udp socat UDP-RECVFROM:7,bind=$RS,fork SYSTEM:'printf pong'
	mark started 192.0.2.35:7
	ip -n "$NS" addr add $PINGED/24 dev eth0 2>/dev/null
	mark started 192.0.2.36:80
	touch "$T/misc-up"
	mark started 192.0.2.37:80
	echo 0 >"$T/track"
	mark started 192.0.2.38:80
}
services_listening() {
	until_ok 15 listening -t "sport = :443" && until_ok 5 listening -t "sport = :25" &&
		until_ok 5 listening -u "sport = :53" && until_ok 5 listening -u "sport = :7"
}
# start_services, stop_services: $T/started and $T/stopped get "SERVICE_HEX
# MS" for each check's real server, the moment its service was launched
# (its start-up time counts) or told to stop (its exit time counts).
stop_services() {
	mark stopped 192.0.2.31:80 192.0.2.32:443
	stop nginx
	mark stopped 192.0.2.33:53
	stop dns
	mark stopped 192.0.2.34:25
	stop smtp
	mark stopped 192.0.2.35:7
	stop udp
	mark stopped 192.0.2.36:80
	ip -n "$NS" addr del $PINGED/24 dev eth0
	mark stopped 192.0.2.37:80
	rm -f "$T/misc-up"
	mark stopped 192.0.2.38:80
	echo 1 >"$T/track"
}
mark() { # mark started|stopped SERVICE...
	local f=$1 t s
	shift
	t=$(now_ms)
	for s; do echo "$(hex "$s") $t"; done >>"$T/$f"
}


# One virtual server per checker, delay_loop 1; each check: connect_timeout
# 2 (TLS and forks are slow under qemu's TCG), retry 1, delay_before_retry 1.
timing='connect_timeout 2
            retry 1
            delay_before_retry 1'
vs() { # vs VIP PORT PROTO RS_ADDR RS_PORT CHECKER_BLOCK [RS_LINE]
	cat <<CONF
virtual_server $1 $2 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol $3
    real_server $4 $5 {
        weight 1
        $7
        $6
    }
}
CONF
}
{
	echo "track_file tf {"
	echo "    file $T/track"
	echo "}"
	vs 192.0.2.31 80 TCP $RS 80 "HTTP_GET {
            url {
                path /health
                status_code 200
            }
            $timing
        }"
	vs 192.0.2.32 443 TCP $RS 443 "SSL_GET {
            url {
                path /health
                status_code 200
            }
            enable_sni
            virtualhost rs.test
            $timing
        }"
	vs 192.0.2.33 53 UDP $RS 53 "DNS_CHECK {
            type A
            name www.test
            $timing
        }" inhibit_on_failure
	vs 192.0.2.34 25 TCP $RS 25 "SMTP_CHECK {
            helo_name probe.test
            $timing
        }"
	vs 192.0.2.35 7 UDP $RS 7 "UDP_CHECK {
            payload 70696e67
            require_reply 706f6e67
            $timing
        }"
	vs 192.0.2.36 80 TCP $PINGED 80 "PING_CHECK {
            $timing
        }"
	vs 192.0.2.37 80 TCP 10.0.5.4 80 "MISC_CHECK {
            misc_path \"/usr/bin/test -e $T/misc-up\"
            misc_timeout 3
            retry 1
            delay_before_retry 1
        }"
	vs 192.0.2.38 80 TCP 10.0.5.5 80 "FILE_CHECK {
            track_file tf
            weight 0
        }"
} >"$T/vigil.conf"

# name|service|destination|bound (ms) for going down
# (1 + 1 x 1 + 2 = 4 s; 6 s where each try times out; misc_timeout stands
# for connect_timeout; FILE_CHECK reacts to the file's change at once)
checks="HTTP_GET|192.0.2.31:80|$RS:80|4000
SSL_GET|192.0.2.32:443|$RS:443|4000
DNS_CHECK (inhibit_on_failure)|192.0.2.33:53|$RS:53|4000
SMTP_CHECK|192.0.2.34:25|$RS:25|4000
UDP_CHECK (payload, require_reply)|192.0.2.35:7|$RS:7|4000
PING_CHECK (a timeout per try)|192.0.2.36:80|$PINGED:80|6000
MISC_CHECK (misc_timeout 3)|192.0.2.37:80|10.0.5.4:80|5000
FILE_CHECK|192.0.2.38:80|10.0.5.5:80|1000"
slack=3000 # qemu TCG on a shared, loaded machine

# The table as /proc/net/ip_vs has it ("SERVICE DESTINATION WEIGHT" per
# destination, addresses and ports in hex): one read per poll, cheap under
# qemu, unlike ipvsadm. hex A.B.C.D:PORT prints the form /proc uses.
hex() {
	local ip=${1%:*} a b c d
	IFS=. read -r a b c d <<<"$ip"
	printf '%02X%02X%02X%02X:%04X' "$a" "$b" "$c" "$d" "${1#*:}"
}
table() {
	awk '$1 == "TCP" || $1 == "UDP" { s = $2 } $1 == "->" && $3 != "Forward" { print s, $2, $4 }' \
		/proc/net/ip_vs
}
# state SERVICE DESTINATION: "up", "down" (absent) or "w0" (weight 0)
state() {
	local w
	w=$(table | awk -v s="$(hex "$1")" -v d="$(hex "$2")" '$1 == s && $2 == d { print $3 }')
	case $w in '') echo down ;; 0) echo w0 ;; *) echo up ;; esac
}
# the same with hex service and destination, for polling /proc
hchecks=$(while IFS='|' read -r name svc dst bound; do
	echo "$name|$(hex "$svc")|$(hex "$dst")|$bound"
done <<<"$checks")
echo "$hchecks" | cut -d'|' -f2,3 | tr '|' ' ' >"$T/pairs"
# reached WANT: into $T/reached, the "SERVICE DESTINATION" pairs (hex) of
# the checks that are "back" (weight 1) or "gone" (absent or weight 0).
# One awk per poll: under qemu every fork counts.
reached() {
	awk -v want="$1" '
		FILENAME != "/proc/net/ip_vs" { pair[$1 " " $2] = 1; next }
		$1 == "TCP" || $1 == "UDP" { s = $2 }
		$1 == "->" && $3 != "Forward" { w[s " " $2] = $4 }
		END {
			for (p in pair)
				if (want == "back" ? w[p] == "1" : w[p] + 0 == 0)
					print p
		}' "$T/pairs" /proc/net/ip_vs >"$T/reached"
}
all_up() {
	local r
	reached back
	mapfile -t r <"$T/reached"
	[ ${#r[@]} -eq 8 ]
}
# watch WANT LIMIT_S: poll until every check reaches WANT ("gone": absent,
# or weight 0 for the inhibited one; "back": weight 1); write
# "name|service|destination|bound|ms" lines to $T/times (ms: -1 never),
# counted from when its service stopped (gone) or started (back).
watch() {
	local want=$1 end=$(($(now_ms) + $2 * 1000)) t svc dst
	local marks=$T/$([ "$want" = gone ] && echo stopped || echo started) m
	declare -A seen=() since=()
	while :; do
		t=${EPOCHREALTIME/./}
		t=$((t / 1000))
		# the services stop (start) meanwhile, in the background
		while read -r svc m; do since[$svc]=$m; done <"$marks"
		reached "$want"
		while read -r svc dst; do
			[ -n "${since[$svc]:-}" ] && [ -z "${seen[$svc]:-}" ] &&
				seen[$svc]=$((t - since[$svc]))
		done <"$T/reached"
		[ ${#seen[@]} -ge 8 ] || [ $t -ge $end ] && break
		sleep 0.25
	done
	while read -r svc dst; do
		echo "${seen[$svc]:--1}"
	done <"$T/pairs" >"$T/ms"
	echo "$checks" | paste -d'|' - "$T/ms" >"$T/times"
}

start_services
if ! services_listening; then
	tap_fail "the real servers start"
	cat "$T"/*.log "$T/nginx.err" 2>/dev/null | tail -20 | tap_diag
	tap_done
fi
"$VIGILD" -n -l -C -f "$T/vigil.conf" -p "$T/pid" -c "$T/cpid" >"$T/log" 2>&1 &
pid=$!
if until_ok 20 all_up; then
	sleep 3 # several rounds of checks: all stay up
	if all_up; then tap_ok "every checker finds its real server up (8 destinations at weight 1)"
	else
		tap_fail "every checker keeps its real server up"
		ipvsadm -Ln | tap_diag
		grep -E 'down|fail' "$T/log" | tail -8 | tap_diag
	fi
else
	tap_fail "every checker finds its real server up"
	ipvsadm -Ln | tap_diag
	tail -20 "$T/log" | tap_diag
fi

# Stop every service (in the background: under qemu that takes seconds)
# while watching the table.
: >"$T/stopped"
stop_services &
watch gone 25
wait $!
while IFS='|' read -r name svc dst bound ms; do
	what=$([ "${name#DNS}" != "$name" ] && echo "is at weight 0" || echo "leaves the table")
	if [ "$ms" -ge 0 ] && [ "$ms" -le $((bound + slack)) ]; then
		tap_ok "$name: service stopped, $dst $what after $ms ms (bound $bound + $slack slack)"
	else
		tap_fail "$name: service stopped, $dst $what (after $ms ms, bound $bound + $slack)"
	fi
done <"$T/times"
[ "$(state 192.0.2.33:53 $RS:53)" = w0 ] && tap_ok "inhibit_on_failure: the DNS real server stays at weight 0" ||
	tap_fail "inhibit_on_failure: the DNS real server stays at weight 0 (it is $(state 192.0.2.33:53 $RS:53))"

# Back at the next successful check: a delay_loop and a check after the
# service is up again; its start-up (exec under qemu's TCG on a loaded
# machine: up to seconds) counts too, so the limit is loose: 15 s.
: >"$T/started"
start_services &
watch back 25
wait $!
while IFS='|' read -r name svc dst bound ms; do
	if [ "$ms" -ge 0 ] && [ "$ms" -le 15000 ]; then
		tap_ok "$name: service restarted, $dst returns at weight 1, $ms ms after its launch"
	else
		tap_fail "$name: service restarted, $dst returns (after $ms ms, limit 15000)"
	fi
done <"$T/times"

kill -TERM "$pid" && wait "$pid"
pid=''
grep -q -E 'Sanitizer|runtime error:' "$T/log" && tap_fail "no sanitizer report" || tap_ok "no sanitizer report"
grep -E 'error|failed' "$T/log" | tail -5 | tap_diag
tap_done
