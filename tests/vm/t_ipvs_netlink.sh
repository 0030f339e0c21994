#!/bin/bash
# ipvs/netlink.c against the VM's kernel: write a table, read it back, edit
# it, see per-request failures reported by sequence number while the rest of
# the batch applies; and ipvsadm agrees with what we wrote.
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

check=$VIGIL_BUILDDIR/tests/vm/ipvs_nl_check

# The C checks print their own TAP; renumber them into ours.
out=$("$check" 2>&1)
rc=$?
while IFS= read -r line; do
	case $line in
	"ok "*) tap_ok "${line#ok * - }" ;;
	"not ok "*) tap_fail "${line#not ok * - }" ;;
	1..*) ;;
	*) printf '%s\n' "$line" | tap_diag ;;
	esac
done <<<"$out"
[ $rc -eq 0 ] && tap_ok "ipvs_nl_check exits 0" || tap_fail "ipvs_nl_check exits 0 (got $rc)"

# What ipvsadm sees after a load: 20 services x 3 destinations, all Masq weight 1.
"$check" load 20 3 >/dev/null 2>&1
n_svc=$(ipvsadm -Sn | grep -c '^-A ')
n_dst=$(ipvsadm -Sn | grep -c '^-a .* -m -w 1$')
if [ "$n_svc" = 20 ] && [ "$n_dst" = 60 ]; then
	tap_ok "ipvsadm sees 20 services and 60 masq destinations of weight 1"
else
	tap_fail "ipvsadm sees 20 services and 60 masq destinations of weight 1 (got $n_svc, $n_dst)"
	ipvsadm -Sn | head -20 | tap_diag
fi
tap_done
