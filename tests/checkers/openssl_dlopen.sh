#!/bin/sh
# OpenSSL is loaded when a configuration needs it (lib/dlopen_ssl.c): a
# checker process with only TCP_CHECK / plain HTTP_GET maps neither libssl
# nor libcrypto; an HTTP digest maps libcrypto only; SSL_GET maps libssl.
# With libssl missing (hidden in a private mount namespace), the SSL_GET
# check stays down, its error names the library, and the other checks run.
. "${top_srcdir:-.}/tests/checkers/lib.sh"

require_root_netns
require_cmd nginx nginx
require_cmd openssl openssl
require_cmd unshare util-linux
libssl=$(readlink -f "$(ldconfig -p | awk '/^[[:space:]]*libssl\.so\.3 .*x86-64/ { print $NF; exit }')")
[ -f "$libssl" ] || skip_all "libssl.so.3 not found by ldconfig"
setup_netns

printf 'digest body\n' >"$T/digest.txt"
digest=$(md5sum "$T/digest.txt" | cut -d' ' -f1)
nginx_conf 'location = /health { return 200 "healthy\n"; }
		location = /digest { return 200 "digest body\n"; }'
bg_s nginx nginx -c "$T/nginx.conf"
wait_until 5 tcp_listening 443 || { diag "$T/nginx.err" 2>/dev/null; skip_all "nginx did not start"; }

# conf KIND...: one virtual server per KIND (tcp, http, digest, ssl).
conf() {
	n=0
	for kind in "$@"; do
		n=$((n + 1))
		case $kind in
		tcp) port=80 check='TCP_CHECK {' ;;
		http) port=80 check='HTTP_GET { url { path /health }' ;;
		digest) port=80 check="HTTP_GET { url { path /digest
				digest $digest }" ;;
		ssl) port=443 check='SSL_GET { url { path /health }' ;;
		esac
		cat <<CONF
virtual_server 10.250.0.$n $port {
	protocol TCP
	delay_loop 1
	real_server $S4 $port {
		$check
			connect_timeout 1
		}
	}
}
CONF
	done >"$T/vigil.conf"
}
maps() { grep -c -E "/lib$1\.so" "/proc/$driver_pid/maps"; }
stop_driver() {
	kill "$driver_pid" 2>/dev/null
	wait "$driver_pid" 2>/dev/null
}
# run_checks KINDS: start check_driver on conf KINDS, let every check run
# twice; true when none went down.
run_checks() {
	conf "$@"
	start_driver "$T/vigil.conf" || return 1
	sleep 2.5
	! has ' down '
}

check "TCP_CHECK and HTTP_GET: every check up" run_checks tcp http
check "... and neither libssl nor libcrypto is mapped ($(maps ssl), $(maps crypto))" \
	test "$(maps ssl)" -eq 0 -a "$(maps crypto)" -eq 0
stop_driver

check "HTTP_GET with a digest: up" run_checks tcp digest
check "... with libcrypto mapped ($(maps crypto)), not libssl ($(maps ssl))" \
	test "$(maps crypto)" -gt 0 -a "$(maps ssl)" -eq 0
stop_driver

check "SSL_GET: up" run_checks tcp ssl
check "... with libssl mapped ($(maps ssl))" test "$(maps ssl)" -gt 0
stop_driver

# libssl hidden: an empty file bound over it, in a mount namespace of the
# driver's own (ip netns exec inherits it).
: >"$T/empty.so"
conf tcp digest ssl
: >"$T/out"
unshare -m --propagation private sh -c \
	'mount --bind "$1" "$2" && exec ip netns exec "$3" "$4" "$5"' \
	sh "$T/empty.so" "$libssl" "$NS_C" "$DRIVER" "$T/vigil.conf" >"$T/out" 2>"$T/err" &
driver_pid=$!
pids="$pids $driver_pid"
wait_until 5 grep -q ' start ' "$T/out"
sleep 2.5
check "libssl missing: the SSL_GET check starts down" has "initial 10.250.0.3:443 $S4:443 down"
check "... and stays down" test "$(count 'change 10.250.0.3:443 .* up')" -eq 0
check "... the TCP and digest checks stay up" test "$(count ' 10.250.0.[12]:80 .* down')" -eq 0
check "... the error names the library" grep -q 'libssl\.so\.3' "$T/err"
check "libssl was hidden from that driver only ($libssl is still readable)" test -s "$libssl"
stop_driver

done_testing
