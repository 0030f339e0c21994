#!/bin/sh
# TCP_CHECK, HTTP_GET and SSL_GET against nginx in a network namespace:
# verdicts, a probe shared by two virtual servers, down within delay_loop +
# retry x delay_before_retry + connect_timeout when nginx stops, up again
# when it returns, status/digest failures, timeouts, and a reload that
# keeps every unchanged check's state.
. "${top_srcdir:-.}/tests/checkers/lib.sh"

require_root_netns
require_cmd nginx nginx
require_cmd openssl openssl
setup_netns

# --- the real server: nginx on $S4 :80 and :443 with a certificate made here.
printf 'digest body\n' >"$T/digest.txt"
digest=$(md5sum "$T/digest.txt" | cut -d' ' -f1)
nginx_conf 'location = /health { return 200 "healthy\n"; }
		location = /digest { return 200 "digest body\n"; }
		location = /broken { return 503 "busy\n"; }'
start_nginx() {
	bg_s nginx nginx -c "$T/nginx.conf"
	wait_until 5 tcp_listening 443
}
start_nginx || { cat "$T/nginx.log" "$T/nginx.err" 2>/dev/null | diag; skip_all "nginx did not start"; }

# delay_loop 1, connect_timeout 1, retry 1, delay_before_retry 1:
# a stopped real server is down within 1 + 1 x 1 + 1 = 3 s.
timing='connect_timeout 1
retry 1
delay_before_retry 1'
write_conf() {
	cat >"$T/vigil.conf" <<CONF
virtual_server 10.250.0.1 80 {
	protocol TCP
	delay_loop 1
	real_server $S4 80 {
		TCP_CHECK {
			$timing
		}
	}
}
virtual_server 10.250.0.2 80 {
	protocol TCP
	delay_loop 1
	real_server $S4 80 {
		TCP_CHECK {
			$timing
		}
	}
}
virtual_server 10.250.0.3 80 {
	protocol TCP
	delay_loop 1
	real_server $S4 80 {
		HTTP_GET {
			url {
				path /health
				status_code 200
			}
			url {
				path /digest
				digest $digest
			}
			$timing
		}
	}
}
virtual_server 10.250.0.4 443 {
	protocol TCP
	delay_loop 1
	real_server $S4 443 {
		SSL_GET {
			url {
				path /digest
				digest $digest
			}
			virtualhost rs.test
			enable_sni
			$timing
		}
	}
}
virtual_server 10.250.0.5 80 {
	protocol TCP
	delay_loop 1
	real_server $S4 80 {
		HTTP_GET {
			url {
				path /broken
			}
			$timing
		}
	}
}
virtual_server 10.250.0.6 80 {
	protocol TCP
	delay_loop 1
	real_server $S4 80 {
		HTTP_GET {
			url {
				path /digest
				digest 0123456789abcdef0123456789abcdef
			}
			$timing
		}
	}
}
virtual_server 10.250.0.7 80 {
	protocol TCP
	delay_loop 1
	real_server 10.251.0.99 80 {
		TCP_CHECK {
			$timing
		}
	}
}
$1
CONF
}
write_conf ""
start_driver "$T/vigil.conf" || { diag "$T/err"; not_ok "check_driver started"; done_testing; }

RS=$S4
check "7 virtual servers' real servers use 6 probes" has ' start checks 6 real_servers 7$'
check "the TCP probe of $RS:80 is shared by two virtual servers" \
	has "initial 10.250.0.1:80 $RS:80 up weight 1 shared 2"
check "every real server starts up (no alpha)" test "$(count 'initial .* up ')" -eq 7

check "HTTP_GET on a 503 page: down" wait_until 5 has "change 10.250.0.5:80 $RS:80 down"
check "HTTP_GET with a wrong digest: down" wait_until 5 has "change 10.250.0.6:80 $RS:80 down"
check "TCP_CHECK on an address nobody answers: down (timeouts)" \
	wait_until 6 has "change 10.250.0.7:80 10.251.0.99:80 down"
grep -q 'timed out connecting' "$T/err"
check "the timeout is logged as such" test $? -eq 0
sleep 2
check "healthy TCP, HTTP (2 urls, digest) and SSL (SNI, digest) checks stay up" \
	test "$(count 'change 10.250.0.[1-4]:')" -eq 0

# --- stop nginx: every check of it goes down within the bound.
stop nginx
t0=$(now_ms)
for vs in 10.250.0.1:80 10.250.0.2:80 10.250.0.3:80 10.250.0.4:443; do
	port=${vs#*:}
	if wait_until 5 has "change $vs $RS:$port down"; then
		ms=$(($(now_ms) - t0))
		# The exact bound is held by test_check_engine (fake clock); here,
		# on a machine that may be loaded (CI runs tests in parallel), a
		# generous slack: the point is that the verdict follows the service.
		check "nginx stopped: $vs down after ${ms} ms (bound 3000, + 2000 slack)" test $ms -le 5000
	else
		not_ok "nginx stopped: $vs down"
	fi
done
grep -q 'Connection refused' "$T/err"
check "the reason (connection refused) is logged" test $? -eq 0

# --- restart it: up within one delay_loop.
start_nginx
t0=$(now_ms)
for vs in 10.250.0.1:80 10.250.0.2:80 10.250.0.3:80 10.250.0.4:443; do
	port=${vs#*:}
	if wait_until 4 has "change $vs $RS:$port up"; then
		ms=$(($(now_ms) - t0))
		check "nginx back: $vs up after ${ms} ms (bound 1000, + 2000 slack)" test $ms -le 3000
	else
		not_ok "nginx back: $vs up"
	fi
done
check "the failing checks stayed down meanwhile" \
	test "$(count 'change 10.250.0.[567]:.* up')" -eq 0

# --- reload: one more virtual server; nothing else flaps.
changes=$(count ' change ')
write_conf "virtual_server 10.250.0.8 80 {
	protocol TCP
	delay_loop 1
	real_server $S4 80 {
		TCP_CHECK {
			$timing
		}
	}
}"
kill -HUP "$driver_pid"
check "reload: the new virtual server shares the existing TCP probe" \
	wait_until 3 has ' reload checks 6 real_servers 8$'
check "reload: real servers that were down are still down" \
	has "initial 10.250.0.5:80 $RS:80 down weight 1 shared 1"
check "reload: the shared probe now serves three virtual servers" \
	has "initial 10.250.0.8:80 $RS:80 up weight 1 shared 3"
sleep 2.5
check "reload: no verdict changed (no flap)" test "$(count ' change ')" -eq "$changes"

kill "$driver_pid"
wait_until 5 has ' stop$'
check "check_driver stops on SIGTERM" has ' stop$'
done_testing
