#!/bin/sh
# SMTP_CHECK (socat banner server), DNS_CHECK (dnsmasq), UDP_CHECK (socat
# responder), PING_CHECK, FILE_CHECK and MISC_CHECK: each goes down when its
# service stops or says so, and comes back.
. "${top_srcdir:-.}/tests/checkers/lib.sh"

require_root_netns
require_cmd socat socat
require_cmd dnsmasq dnsmasq-base
setup_netns
S4B=10.251.0.3 # a second address of the real server, for PING_CHECK
ip -n "$NS_S" addr add $S4B/24 dev eth0
# Closed UDP ports must answer every probe with ICMP port unreachable
# (UDP_CHECK without require_reply counts silence as success).
in_s sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 2>/dev/null

# --- real servers
cat >"$T/smtp.sh" <<'SH'
#!/bin/sh
printf '220-mx.test ESMTP\r\n220 ready\r\n'
read -r line
case $line in HELO\ ?*) printf '250 mx.test\r\n' ;; *) printf '500 what\r\n' ;; esac
read -r line
printf '221 bye\r\n'
SH
chmod 755 "$T/smtp.sh"
start_smtp() {
	bg_s smtp socat TCP-LISTEN:25,bind=$S4,fork,reuseaddr EXEC:"$T/smtp.sh"
	bg_s smtp_bad socat TCP-LISTEN:26,bind=$S4,fork,reuseaddr SYSTEM:"printf '554 go away\\r\\n'"
	wait_until 5 tcp_listening 25
}
start_dns() {
	bg_s dns dnsmasq -k -C /dev/null -u root --no-resolv --no-hosts --bind-interfaces \
		--listen-address=$S4 --port=53 --host-record=www.test,10.9.9.9 --pid-file="$T/dnsmasq.pidf"
	wait_until 5 sh -c "ip netns exec $NS_S ss -Hlun 'sport = :53' | grep -q ."
}
start_udp() {
	bg_s udp socat UDP-RECVFROM:7,bind=$S4,fork SYSTEM:'printf pong'
	wait_until 5 sh -c "ip netns exec $NS_S ss -Hlun 'sport = :7' | grep -q ."
}
start_smtp || skip_all "socat did not start"
start_dns || { diag "$T/dns.log"; skip_all "dnsmasq did not start"; }
start_udp || skip_all "socat (UDP) did not start"

echo 0 >"$T/track"
echo 0 >"$T/misc_rc"
cat >"$T/misc.sh" <<SH
#!/bin/sh
rc=\$(cat "$T/misc_rc")
if [ "\$rc" = sleep ]; then echo \$\$ >"$T/misc.pid"; exec sleep 30; fi
exit \$rc
SH
chmod 755 "$T/misc.sh"

timing='connect_timeout 1
retry 1
delay_before_retry 1'
cat >"$T/vigil.conf" <<CONF
track_file tf {
	file $T/track
}
virtual_server 10.250.0.1 25 {
	protocol TCP
	delay_loop 1
	real_server $S4 25 {
		SMTP_CHECK {
			helo_name probe.test
			$timing
		}
	}
	real_server $S4 26 {
		SMTP_CHECK {
			$timing
		}
	}
}
virtual_server 10.250.0.2 53 {
	protocol UDP
	delay_loop 1
	real_server $S4 53 {
		DNS_CHECK {
			type A
			name www.test
			$timing
		}
	}
}
virtual_server 10.250.0.3 53 {
	protocol UDP
	delay_loop 1
	real_server $S4 53 {
		DNS_CHECK {
			type AAAA
			name www.test
			$timing
		}
	}
}
virtual_server 10.250.0.4 7 {
	protocol UDP
	delay_loop 1
	real_server $S4 7 {
		UDP_CHECK {
			payload 70696e67
			require_reply 706f6e67
			$timing
		}
	}
}
virtual_server 10.250.0.5 7 {
	protocol UDP
	delay_loop 1
	real_server $S4 7 {
		UDP_CHECK {
			$timing
		}
	}
	real_server $S4 9 {
		UDP_CHECK {
			$timing
		}
	}
}
virtual_server 10.250.0.6 80 {
	protocol TCP
	delay_loop 1
	real_server $S4B 80 {
		PING_CHECK {
			$timing
		}
	}
}
virtual_server fd00:250::6 80 {
	protocol TCP
	delay_loop 1
	real_server $S6 80 {
		PING_CHECK {
			$timing
		}
	}
}
virtual_server 10.250.0.7 80 {
	protocol TCP
	delay_loop 30
	real_server 10.251.0.11 80 {
		weight 1
		FILE_CHECK {
			track_file tf
		}
	}
	real_server 10.251.0.12 80 {
		FILE_CHECK {
			track_file tf
			weight 0
		}
	}
}
virtual_server 10.250.0.8 80 {
	protocol TCP
	delay_loop 1
	real_server 10.251.0.13 80 {
		weight 3
		MISC_CHECK {
			misc_path "$T/misc.sh"
			misc_timeout 1
			misc_dynamic
		}
	}
}
CONF

start_driver "$T/vigil.conf" || { diag "$T/err"; not_ok "check_driver started"; done_testing; }
# FILE_CHECK with weight 1 and with weight 0 are two checks of one file.
check "12 checks for 12 real servers" has ' start checks 12 real_servers 12$'

check "SMTP_CHECK: a 554 banner is down" wait_until 5 has "change 10.250.0.1:25 $S4:26 down"
check "DNS_CHECK: a name without AAAA record is down" \
	wait_until 5 has "change 10.250.0.3:53 $S4:53 down"
check "UDP_CHECK without require_reply: ICMP port unreachable is down" \
	wait_until 5 has "change 10.250.0.5:7 $S4:9 down"
sleep 2
check "SMTP (HELO), DNS (A), UDP (reply match, silence) and PING (v4, v6) stay up" \
	test "$(count "change (10.250.0.1:25 $S4:25|10.250.0.2:53|10.250.0.4:7|10.250.0.5:7 $S4:7|10.250.0.6:|\[fd00:250::6\]:80) ")" -eq 0

# --- stop each service: down within 1 + 1 x 1 + 1 = 3 s (plus slack).
t0=$(now_ms)
stop smtp
stop dns
stop udp
ip -n "$NS_S" addr del $S4B/24 dev eth0
for what in "SMTP_CHECK|10.250.0.1:25 $S4:25" "DNS_CHECK|10.250.0.2:53 $S4:53" \
	"UDP_CHECK require_reply|10.250.0.4:7 $S4:7" "UDP_CHECK|10.250.0.5:7 $S4:7" \
	"PING_CHECK|10.250.0.6:80 $S4B:80"; do
	name=${what%%|*} line=${what#*|}
	if wait_until 6 has "change $line down"; then
		ms=$(($(now_ms) - t0))
		# Timeouts (PING, UDP require_reply) take connect_timeout per try.
		check "$name: service gone, down after $ms ms (bound 4000, + 2000 slack)" test $ms -le 6000
	else
		not_ok "$name: service gone, down"
	fi
done
check "PING_CHECK over IPv6 still up" test "$(count "change \[fd00:250::6\]:80")" -eq 0

# --- bring them back: up within a delay_loop.
start_smtp
start_dns
start_udp
ip -n "$NS_S" addr add $S4B/24 dev eth0
t0=$(now_ms)
for what in "SMTP_CHECK|10.250.0.1:25 $S4:25" "DNS_CHECK|10.250.0.2:53 $S4:53" \
	"UDP_CHECK require_reply|10.250.0.4:7 $S4:7" "UDP_CHECK|10.250.0.5:7 $S4:7" \
	"PING_CHECK|10.250.0.6:80 $S4B:80"; do
	name=${what%%|*} line=${what#*|}
	if wait_until 4 has "change $line up"; then
		ms=$(($(now_ms) - t0))
		check "$name: service back, up after $ms ms (bound 2000, + 2000 slack)" test $ms -le 4000
	else
		not_ok "$name: service back, up"
	fi
done

# --- FILE_CHECK: delay_loop 30, so these prove the file is watched.
echo 5 >"$T/track"
check "FILE_CHECK weight 1: value 5 adds 5 to the weight (at once)" \
	wait_until 2 has "change 10.250.0.7:80 10.251.0.11:80 up weight 6"
check "FILE_CHECK weight 0: a non-zero value is down" \
	wait_until 2 has "change 10.250.0.7:80 10.251.0.12:80 down"
echo 0 >"$T/track"
check "FILE_CHECK: back to 0, weight 1" \
	wait_until 2 has "change 10.250.0.7:80 10.251.0.11:80 up weight 1"
check "FILE_CHECK weight 0: zero is up" \
	wait_until 2 has "change 10.250.0.7:80 10.251.0.12:80 up"
echo -2147483647 >"$T/track"
check "FILE_CHECK: a fault value takes it down" \
	wait_until 2 has "change 10.250.0.7:80 10.251.0.11:80 down"
echo 0 >"$T/track"

# --- MISC_CHECK with misc_dynamic.
MISC="change 10.250.0.8:80 10.251.0.13:80"
# misc_step RC PATTERN DESCRIPTION: the script's next exit is RC; wait for
# one more verdict matching PATTERN.
misc_step() {
	n=$(count "$MISC $2")
	echo "$1" >"$T/misc_rc"
	check "$3" wait_until 6 more_than "$n" "$MISC $2"
}
misc_step 7 'up weight 5$' "MISC_CHECK misc_dynamic: exit 7 sets weight 5"
misc_step 1 'down' "MISC_CHECK: exit 1 is down"
misc_step 0 'up weight 3$' "MISC_CHECK: exit 0 is up with the configured weight"
misc_step sleep 'down' "MISC_CHECK: a script past misc_timeout is down"
grep -q "MISC_CHECK.*timed out" "$T/err"
check "the timeout is logged" test $? -eq 0
misc_pid=$(cat "$T/misc.pid")
check "the timed-out script ($misc_pid) was killed" wait_until 2 sh -c "! kill -0 $misc_pid 2>/dev/null"
misc_step 0 'up weight 3$' "MISC_CHECK: back up"

kill "$driver_pid"
wait_until 5 has ' stop$'
check "check_driver stops on SIGTERM" has ' stop$'
done_testing
