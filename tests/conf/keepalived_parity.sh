#!/bin/sh
# One verdict per config: `vigild -t` accepts exactly what keepalived 2.2.7's
# `-t` accepts, over every config in tests/data/conf/vrrp, tests/data/lvs,
# tests/data/lexer, tests/data/conf/parity and keepalived's own samples
# (/usr/share/doc/keepalived/samples, when installed).
#
# As root with keepalived installed, both run: keepalived in a throw-away
# network namespace holding the interfaces the configs name. Otherwise (or
# with VIGIL_PARITY_OFFLINE=1) vigild is held to the verdicts keepalived 2.2.7
# gave when they were recorded: tests/data/conf/vrrp/expected.txt, the
# accept-/reject- prefix in tests/data/lvs, tests/data/conf/parity/verdicts.txt.
# Each mismatch is listed as a "not ok" line.
#
# Deliberate differences, the third and fourth columns of verdicts.txt:
#   host-interfaces     keepalived -t fails when an interface the config names
#                       does not exist on the host it runs on. vigild -t checks
#                       the configuration, not the host: a config is often
#                       tested before it is deployed, and the daemon waits for
#                       interfaces that appear later (VLANs, VMACs, hotplug).
#   keepalived-sigterm  keepalived 2.2.7 -t kills itself with SIGTERM (exit
#                       143) whenever it checks a script as a non-root user
#                       (its parent-death check misfires in -t mode); the
#                       configuration is valid and keepalived runs it.
# Script security depends on the host too (is there a keepalived_script user,
# which script programs exist); the verdicts were recorded on Debian 12
# without a keepalived_script user, where the samples' scripts do not exist.
set -u
data="${top_srcdir:-.}/tests/data"
samples="${KEEPALIVED_SAMPLES:-/usr/share/doc/keepalived/samples}"
vigild="${VIGILD:-./vigild}"
list=$(mktemp) || exit 99
ns=
cleanup() {
	rm -f "$list"
	[ -z "$ns" ] || ip netns del "$ns"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP # so the EXIT trap runs on these too

# A run killed outright (SIGKILL) leaves its namespace: remove those whose
# test is gone before making ours.
sweep_stale() {
	for old in $(ip netns list 2> /dev/null | awk '$1 ~ /^vigil-parity-[0-9]+$/ { print $1 }'); do
		kill -0 "${old#vigil-parity-}" 2> /dev/null || ip netns del "$old" 2> /dev/null
	done
}

if [ "${VIGIL_PARITY_OFFLINE:-0}" != 1 ] && [ "$(id -u)" = 0 ] &&
	command -v keepalived > /dev/null 2>&1 && command -v ip > /dev/null 2>&1; then
	sweep_stale
	ns="vigil-parity-$$"
	if ip netns add "$ns" 2> /dev/null; then
		i=0
		for ifn in eth0 eth1 eth2 eth3 eth0.1; do
			i=$((i + 1))
			ip -n "$ns" link add "$ifn" type veth peer name "vp$i" &&
				ip -n "$ns" link set "$ifn" up
		done
	else
		ns=
	fi
fi
if [ -n "$ns" ]; then
	echo "# keepalived -t runs too ($(keepalived -v 2>&1 | head -n 1))"
else
	echo "# keepalived -t does not run here: checking against recorded verdicts"
fi

# FILE KEEPALIVED-VERDICT [VIGIL-VERDICT REASON], paths under tests/data.
{
	while read -r file want; do
		echo "conf/vrrp/$file $want"
	done < "$data/conf/vrrp/expected.txt"
	for f in "$data"/lvs/accept-*.conf "$data"/lvs/reject-*.conf; do
		case "${f##*/}" in
		accept-*) echo "lvs/${f##*/} accept" ;;
		*) echo "lvs/${f##*/} reject" ;;
		esac
	done
	grep -v '^#' "$data/conf/parity/verdicts.txt"
} > "$list"

echo "1..$(wc -l < "$list")"
n=0
fail=0
verdict() {
	if [ "$1" = 0 ]; then echo accept; else echo reject; fi
}
while read -r file recorded vigil_want reason; do
	n=$((n + 1))
	case "$file" in
	samples/*) path="$samples/${file#samples/}" ;;
	*) path="$data/$file" ;;
	esac
	if [ ! -f "$path" ]; then
		echo "ok $n - $file # SKIP not installed"
		continue
	fi
	"$vigild" -t -f "$path" < /dev/null > /dev/null 2>&1
	got=$(verdict $?)
	ka=$recorded
	note=
	if [ -n "$ns" ]; then
		ip netns exec "$ns" keepalived -t -f "$path" -l -n < /dev/null > /dev/null 2>&1
		ka=$(verdict $?)
		[ "$ka" = "$recorded" ] ||
			note=" (recorded: keepalived $recorded; update the record)"
	fi
	want=${vigil_want:-$ka}
	why=
	[ -z "${reason:-}" ] || why=" [exception: $reason]"
	if [ "$got" = "$want" ] && [ -z "$note" ]; then
		echo "ok $n - $file: keepalived $ka, vigild $got$why"
	else
		echo "not ok $n - $file: keepalived $ka, vigild $got, expected $want$why$note"
		fail=1
	fi
done < "$list"
exit $fail
