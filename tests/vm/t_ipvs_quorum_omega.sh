#!/bin/bash
# quorum_up / quorum_down and omega, as keepalived runs them: at start-up a
# virtual server whose live weight reaches quorum (+ hysteresis) runs its
# quorum_up, one that starts below it with a sorry server runs quorum_down
# (the same scripts keepalived 2.2.7 runs on this config, read side by
# side); losing a virtual server's quorum runs its quorum_down, regaining it
# quorum_up; a clean stop runs, for virtual servers with omega only, the
# notify_down of each real server that was up and the quorum_down of a
# virtual server that had quorum; a MISC_CHECK in flight gets SIGTERM at a
# clean stop, as from keepalived.
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-omega.XXXXXX)
pid= kpid= srv1= srv2=
cleanup() {
	for p in $srv1 $srv2; do kill "$p" 2>/dev/null; done
	for p in $pid $kpid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

cat >"$T/note.sh" <<SH
#!/bin/sh
echo "\$*" >>"$T/notes"
SH
chmod 755 "$T/note.sh"
# A MISC_CHECK that is always in flight: it notes the SIGTERM a clean stop
# sends it (keepalived's checker_terminate_phase1()).
cat >"$T/misc.sh" <<SH
#!/bin/sh
trap 'echo "192.0.2.84 misc TERM" >>"$T/notes"; exit 1' TERM
sleep 60 &
wait
SH
chmod 755 "$T/misc.sh"
: >"$T/notes"
listen() { # PORT: something accepts on 127.0.0.1:PORT
	socat TCP-LISTEN:"$1",bind=127.0.0.1,fork,reuseaddr /dev/null &
	eval srv$(($1 - 9100))=$!
}
listen 9101
listen 9102

vs() { # VIP LINES
	cat <<CONF
virtual_server $1 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    delay_loop 1
    quorum 2
$2
    quorum_up "$T/note.sh $1 quorum_up"
    quorum_down "$T/note.sh $1 quorum_down"
CONF
	for p in 9101 9102; do
		cat <<CONF
    real_server 127.0.0.1 $p {
        notify_up "$T/note.sh $1 $p notify_up"
        notify_down "$T/note.sh $1 $p notify_down"
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
CONF
	done
	echo "}"
}
{
	echo "global_defs {
    script_user root
}"
	vs 192.0.2.80 "    omega"
	vs 192.0.2.81 ""
	vs 192.0.2.82 "    hysteresis 1
    sorry_server 127.0.0.1 9109"
	vs 192.0.2.83 "    alpha"
	cat <<CONF
virtual_server 192.0.2.84 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    delay_loop 1
    omega
    real_server 127.0.0.1 9111 {
        notify_down "$T/note.sh 192.0.2.84 9111 notify_down"
        MISC_CHECK {
            misc_path "$T/misc.sh"
            misc_timeout 120
        }
    }
}
CONF
} >"$T/vigil.conf"

until_ok() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.25
	done
}
noted() { grep -qx -- "$1" "$T/notes"; }
show() { { echo "notes:"; cat "$T/notes"; tail -5 "$T/log"; } | tap_diag; }

# Start-up, keepalived's way (what 2.2.7 did here, as ipvs_quorum_start()
# says): .80 and .81 reach quorum 2 with two live real servers (quorum_up);
# .82 needs 2 + hysteresis 1, so it starts down with its sorry server in
# (quorum_down); .83 (alpha) starts with nothing live and no sorry server
# (no script), then its checks pass (notify_up of each, quorum_up).
want_start="192.0.2.80 quorum_up;192.0.2.81 quorum_up;192.0.2.82 quorum_down;\
192.0.2.83 9101 notify_up;192.0.2.83 9102 notify_up;192.0.2.83 quorum_up;"
# At a clean stop, for .84 (omega, its MISC_CHECK in flight): the script
# gets SIGTERM, and the real server's notify_down runs once.
want_stop84="192.0.2.84 9111 notify_down;192.0.2.84 misc TERM;"
started() { # the start-up notes, once all six are in and a second has passed
	until_ok 20 sh -c "[ \$(wc -l <'$T/notes') -ge 6 ]"
	sleep 1
	sort "$T/notes" | tr '\n' ';'
}
if [ -x /usr/sbin/keepalived ]; then
	/usr/sbin/keepalived -n -l -C -f "$T/vigil.conf" -p "$T/kpid" -c "$T/kcpid" \
		>"$T/klog" 2>&1 &
	kpid=$!
	kstart=$(started)
	n=$(wc -l <"$T/notes")
	kill -TERM "$kpid" && wait "$kpid"
	kpid=
	[ "$kstart" = "$want_start" ] &&
		tap_ok "keepalived 2.2.7 runs these start-up scripts" ||
		tap_fail "keepalived 2.2.7 runs these start-up scripts (want '$want_start', got '$kstart')"
	until_ok 10 sh -c "! ipvsadm -Ln | grep -q 192.0.2.8"
	sleep 0.5 # its omega scripts' own writes
	kstop=$(tail -n +$((n + 1)) "$T/notes" | grep 192.0.2.84 | sort | tr '\n' ';')
	[ "$kstop" = "$want_stop84" ] &&
		tap_ok "keepalived 2.2.7 at a clean stop: SIGTERM to the MISC_CHECK in flight, notify_down once" ||
		tap_fail "keepalived 2.2.7 at a clean stop (want '$want_stop84', got '$kstop')"
else
	tap_skip "keepalived 2.2.7 runs these start-up scripts" "no /usr/sbin/keepalived"
	tap_skip "keepalived 2.2.7 at a clean stop" "no /usr/sbin/keepalived"
fi
: >"$T/notes"

"$VIGILD" -n -l -C -f "$T/vigil.conf" -p "$T/pid" -c "$T/cpid" >"$T/log" 2>&1 &
pid=$!
start=$(started)
[ "$start" = "$want_start" ] &&
	tap_ok "start-up: quorum_up where quorum is met, quorum_down where a sorry server goes in" ||
	{ tap_fail "start-up scripts (want '$want_start', got '$start')"; show; }
# 2 + 2 + the sorry server 9109 + 2
until_ok 20 sh -c "ipvsadm -Ln | grep -c '127.0.0.1:910' | grep -qx 7"
s82=$(ipvsadm -Ln -t 192.0.2.82:80 | awk '/->/ && !/RemoteAddress/ { print $2 }' | tr '\n' ' ')
[ "$s82" = "127.0.0.1:9109 " ] &&
	tap_ok "the virtual server that starts below quorum + hysteresis has only its sorry server" ||
	tap_fail "the virtual server that starts below quorum + hysteresis: want the sorry server only, got '$s82'"

kill "$srv2"; wait "$srv2" 2>/dev/null; srv2=
if until_ok 15 noted "192.0.2.80 quorum_down" && until_ok 5 noted "192.0.2.81 quorum_down"; then
	tap_ok "a real server down, weight 1 < quorum 2: quorum_down runs"
else
	tap_fail "a real server down, weight 1 < quorum 2: quorum_down runs"
	show
fi
noted "192.0.2.80 9102 notify_down" && tap_ok "and the real server's notify_down" ||
	{ tap_fail "and the real server's notify_down"; show; }

listen 9102
if until_ok 15 sh -c "[ \$(grep -cx '192.0.2.80 quorum_up' '$T/notes') -ge 2 ]" &&
	until_ok 5 sh -c "[ \$(grep -cx '192.0.2.81 quorum_up' '$T/notes') -ge 2 ]"; then
	tap_ok "back: quorum regained, quorum_up runs"
else
	tap_fail "back: quorum regained, quorum_up runs"
	show
fi
until_ok 5 noted "192.0.2.81 9102 notify_up"
sleep 1
n=$(wc -l <"$T/notes")

kill -TERM "$pid" && wait "$pid"
pid=
sleep 0.5 # the scripts' own writes
new=$(tail -n +$((n + 1)) "$T/notes" | sort | tr '\n' ';')
want="192.0.2.80 9101 notify_down;192.0.2.80 9102 notify_down;192.0.2.80 quorum_down;$want_stop84"
[ "$new" = "$want" ] &&
	tap_ok "clean stop: omega runs notify_down of each live real server and quorum_down; without omega nothing runs" ||
	{ tap_fail "clean stop: omega scripts (want '$want', got '$new')"; show; }
grep -q -E 'Sanitizer|runtime error:' "$T/log" && tap_fail "no sanitizer report" || tap_ok "no sanitizer report"
tap_done
