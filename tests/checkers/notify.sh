#!/bin/sh
# notify_up / notify_down of real servers, as keepalived 2.2.7 runs them:
# the script of the new state when a real server's verdict changes, with
# the command line's own arguments and nothing added; nothing for real
# servers that start up; notify_down when an alpha real server's first
# probe confirms it down; on reload, notify_down for a real server that was
# up and is gone, nothing for the ones that stay. Asserts on the lines the
# scripts write, not on log lines.
. "${top_srcdir:-.}/tests/checkers/lib.sh"

require_root_netns
require_cmd socat socat
setup_netns

# The script records its arguments, their count first, one run a line.
cat >"$T/notify.sh" <<SCRIPT
#!/bin/sh
echo "\$#:\$*" >>"$T/notify.log"
SCRIPT
chmod 755 "$T/notify.sh"
: >"$T/notify.log"

listen() { bg_s "rs$1" socat TCP-LISTEN:"$1",bind=$S4,fork,reuseaddr SYSTEM:true; }

# delay_loop 1, connect_timeout 1, retry 0: a verdict within about 2 s.
rs() { # PORT NAME [alpha]
	cat <<RS
	real_server $S4 $1 {
		${3:-}
		notify_up "$T/notify.sh up $2"
		notify_down "$T/notify.sh 'down' $2"
		TCP_CHECK {
			connect_timeout 1
			retry 0
			delay_before_retry 1
		}
	}
RS
}
write_conf() { # NAMES to include: A B C
	{
		echo "virtual_server 10.250.0.1 80 {"
		echo "	protocol TCP"
		echo "	delay_loop 1"
		for n in "$@"; do
			case $n in
			A) rs 8081 A ;;
			B) rs 8082 B alpha ;;
			C) rs 8083 C ;;
			esac
		done
		echo "}"
	} >"$T/vigil.conf"
}
logged() { grep -qx -- "$1" "$T/notify.log"; }
runs() { grep -cx -- "$1" "$T/notify.log"; }

listen 8081
listen 8083
wait_until 5 tcp_listening 8083
write_conf A B C
start_driver "$T/vigil.conf"

# B is alpha with nothing listening: its first probe confirms it down.
check "alpha real server confirmed down by its first probe: notify_down runs" \
	wait_until 4 logged "2:down B"
sleep 1.5
check "real servers that start up run nothing (no rs_init_notifies)" \
	sh -c "! grep -q ':up ' '$T/notify.log'"
check "notify_down of B ran once" [ "$(runs "2:down B")" = 1 ]

stop rs8081
check "A stops answering: notify_down runs with its own arguments only" \
	wait_until 4 logged "2:down A"
listen 8081
check "A answers again: notify_up runs" wait_until 4 logged "2:up A"
listen 8082
check "B answers: notify_up runs" wait_until 4 logged "2:up B"
sleep 2.5
check "each change ran its script once" \
	sh -c "[ \$(grep -cx '2:down A' '$T/notify.log') = 1 ] && [ \$(grep -cx '2:up A' '$T/notify.log') = 1 ] && [ \$(grep -cx '2:up B' '$T/notify.log') = 1 ]"

# Reload without C (up): keepalived runs notify_down for a real server it
# removes while up; A and B stay and run nothing.
cp "$T/notify.log" "$T/before-reload.log"
write_conf A B
kill -HUP "$driver_pid"
check "reload: the removed real server that was up runs notify_down" \
	wait_until 4 logged "2:down C"
sleep 1.5
check "reload: the real servers that stay run nothing" \
	sh -c "[ \$(wc -l <'$T/notify.log') = \$((\$(wc -l <'$T/before-reload.log') + 1)) ]"

done_testing
