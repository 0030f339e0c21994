#!/bin/sh
# vigild -t must accept exactly the VRRP/global configs keepalived 2.2.7
# accepts (tests/data/conf/vrrp/expected.txt, recorded with keepalived -t).
# KEEPALIVED_RECHECK=1 (root, keepalived installed) re-asks keepalived in a
# throw-away network namespace holding eth0..eth3.
set -u
dir="${top_srcdir:-.}/tests/data/conf/vrrp"
vigild="${VIGILD:-./vigild}"
n=0
fail=0
ns=
if [ "${KEEPALIVED_RECHECK:-0}" = 1 ]; then
	ns="vigil-compat-$$"
	ip netns add "$ns" || exit 99
	i=0
	for ifn in eth0 eth1 eth2 eth3; do
		i=$((i + 1))
		ip -n "$ns" link add "$ifn" type veth peer name "vc$i" && ip -n "$ns" link set "$ifn" up
	done
	trap 'ip netns del "$ns"' EXIT
fi
count=$(wc -l < "$dir/expected.txt")
echo "1..$count"
while read -r file want; do
	n=$((n + 1))
	"$vigild" -t -f "$dir/$file" > /dev/null 2>&1
	if [ $? = 0 ]; then got=accept; else got=reject; fi
	note=
	if [ -n "$ns" ]; then
		ip netns exec "$ns" keepalived -t -f "$dir/$file" -l -n > /dev/null 2>&1
		if [ $? = 0 ]; then ka=accept; else ka=reject; fi
		[ "$ka" = "$want" ] || note=" (keepalived now says $ka)"
	fi
	if [ "$got" = "$want" ] && [ -z "$note" ]; then
		echo "ok $n - $file: $want"
	else
		echo "not ok $n - $file: keepalived 2.2.7 says $want, vigild -t says $got$note"
		fail=1
	fi
done < "$dir/expected.txt"
exit $fail
