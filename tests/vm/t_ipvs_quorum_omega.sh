#!/bin/bash
# quorum_up / quorum_down and omega, as keepalived runs them: losing a
# virtual server's quorum runs its quorum_down, regaining it quorum_up; a
# clean stop runs, for virtual servers with omega only, the notify_down of
# each real server that was up and the quorum_down of a virtual server
# that had quorum.
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

T=$(mktemp -d /tmp/vigil-t-omega.XXXXXX)
pid= srv1= srv2=
cleanup() {
	for p in $srv1 $srv2; do kill "$p" 2>/dev/null; done
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

cat >"$T/note.sh" <<SH
#!/bin/sh
echo "\$*" >>"$T/notes"
SH
chmod 755 "$T/note.sh"
: >"$T/notes"
listen() { # PORT: something accepts on 127.0.0.1:PORT
	socat TCP-LISTEN:"$1",bind=127.0.0.1,fork,reuseaddr /dev/null &
	eval srv$(($1 - 9100))=$!
}
listen 9101
listen 9102

vs() { # VIP OMEGA_LINE
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
	vs 192.0.2.80 omega
	vs 192.0.2.81 ""
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

"$VIGILD" -n -l -C -f "$T/vigil.conf" -p "$T/pid" -c "$T/cpid" >"$T/log" 2>&1 &
pid=$!
until_ok 20 sh -c "ipvsadm -Ln | grep -c '127.0.0.1:910' | grep -qx 4"

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
if until_ok 15 noted "192.0.2.80 quorum_up" && until_ok 5 noted "192.0.2.81 quorum_up"; then
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
want="192.0.2.80 9101 notify_down;192.0.2.80 9102 notify_down;192.0.2.80 quorum_down;"
[ "$new" = "$want" ] &&
	tap_ok "clean stop: omega runs notify_down of each live real server and quorum_down; without omega nothing runs" ||
	{ tap_fail "clean stop: omega scripts (want '$want', got '$new')"; show; }
grep -q -E 'Sanitizer|runtime error:' "$T/log" && tap_fail "no sanitizer report" || tap_ok "no sanitizer report"
tap_done
