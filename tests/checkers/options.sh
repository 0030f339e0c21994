#!/bin/sh
# The connection options every checker shares: bindto and bind_port (the
# real server sees that source), fwmark (SO_MARK: policy routing applies),
# bind_if (SO_BINDTODEVICE), connect_ip/connect_port, IPv6, alpha.
. "${top_srcdir:-.}/tests/checkers/lib.sh"

require_root_netns
require_cmd socat socat
setup_netns
C4B=10.251.0.21 # a second source address of the checker
ip -n "$NS_C" addr add $C4B/24 dev eth0
# Packets marked 7 are routed nowhere: a check with fwmark 7 must fail.
ip -n "$NS_C" rule add fwmark 7 table 107
ip -n "$NS_C" route add blackhole 10.251.0.0/24 table 107

bg_s tcp4 socat -d -d TCP4-LISTEN:8080,bind=$S4,fork,reuseaddr SYSTEM:true
bg_s tcp6 socat -d -d TCP6-LISTEN:8080,bind=[$S6],fork,reuseaddr SYSTEM:true
bg_s alt socat TCP4-LISTEN:8081,bind=$S4,fork,reuseaddr SYSTEM:true
wait_until 5 tcp_listening 8080 && wait_until 5 tcp_listening 8081 || skip_all "socat did not start"

cat >"$T/vigil.conf" <<CONF
virtual_server 10.250.0.1 8080 {
	protocol TCP
	delay_loop 1
	real_server $S4 8080 {
		TCP_CHECK {
			bindto $C4B
			bind_port 40123
			connect_timeout 1
		}
	}
}
virtual_server 10.250.0.2 8080 {
	protocol TCP
	delay_loop 1
	real_server $S4 8080 {
		TCP_CHECK {
			fwmark 7
			connect_timeout 1
			retry 0
		}
	}
}
virtual_server 10.250.0.3 8080 {
	protocol TCP
	delay_loop 1
	real_server $S4 8080 {
		TCP_CHECK {
			bind_if lo
			connect_timeout 1
			retry 0
		}
	}
	real_server 10.251.0.50 8080 {
		TCP_CHECK {
			connect_ip $S4
			connect_port 8081
			bind_if eth0
			connect_timeout 1
			retry 0
		}
	}
}
virtual_server fd00:250::1 8080 {
	protocol TCP
	delay_loop 1
	real_server $S6 8080 {
		alpha
		TCP_CHECK {
			connect_timeout 1
		}
	}
}
CONF
start_driver "$T/vigil.conf" || { diag "$T/err"; not_ok "check_driver started"; done_testing; }

check "alpha: the IPv6 real server starts down" \
	has "initial \[fd00:250::1\]:8080 \[$S6\]:8080 down"
check "IPv6 TCP_CHECK: up once proven" \
	wait_until 3 has "change \[fd00:250::1\]:8080 \[$S6\]:8080 up"
check "fwmark 7 (SO_MARK) is policy-routed into a blackhole: down" \
	wait_until 3 has "change 10.250.0.2:8080 $S4:8080 down"
check "bind_if lo (SO_BINDTODEVICE) cannot reach the real server: down" \
	wait_until 3 has "change 10.250.0.3:8080 $S4:8080 down"
sleep 2
check "bindto/bind_port, connect_ip/connect_port with bind_if eth0: stay up" \
	test "$(count 'change (10.250.0.1:8080|10.250.0.3:8080 10.251.0.50:8080) ')" -eq 0
check "the real server saw connections from bindto:bind_port ($C4B:40123)" \
	grep -q "$C4B:40123" "$T/tcp4.log"

kill "$driver_pid"
wait_until 5 has ' stop$'
done_testing
