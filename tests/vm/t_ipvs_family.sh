#!/bin/bash
# The VM's kernel has IPVS and our libnl-genl client reaches it: the IPVS
# generic netlink family resolves and IPVS_CMD_GET_INFO answers with the same
# version and table size that ipvsadm reports, in the test's own network
# namespace and in a namespace created inside it.
. "$VIGIL_SRCDIR/tests/vm/tap.sh"

probe=$VIGIL_BUILDDIR/tests/vm/ipvs_probe

out=$("$probe" 2>&1)
rc=$?
if [ $rc -eq 0 ]; then tap_ok "ipvs_probe exits 0"; else
	tap_fail "ipvs_probe exits 0 (got $rc)"
	printf '%s\n' "$out" | tap_diag
fi

family=$(printf '%s\n' "$out" | sed -n 's/^IPVS generic netlink family id \([0-9][0-9]*\)$/\1/p')
if [ -n "$family" ] && [ "$family" -ge 16 ]; then
	# ids below GENL_MIN_ID (16) belong to the generic netlink controller itself
	tap_ok "IPVS family id is a dynamic generic netlink id ($family)"
else
	tap_fail "IPVS family id is a dynamic generic netlink id (got '$family')"
fi

# ipvsadm -Ln's first line: "IP Virtual Server version 1.2.1 (size=4096)"
want=$(ipvsadm -Ln | sed -n '1s/^IP Virtual Server version \([0-9.]*\) (size=\([0-9]*\))$/\1 \2/p')
got=$(printf '%s\n' "$out" | sed -n 's/^IPVS version \([0-9.]*\), connection table size \([0-9]*\)$/\1 \2/p')
if [ -n "$want" ] && [ "$got" = "$want" ]; then
	tap_ok "IPVS_CMD_GET_INFO agrees with ipvsadm ($got)"
else
	tap_fail "IPVS_CMD_GET_INFO agrees with ipvsadm (probe '$got', ipvsadm '$want')"
fi

ns=vigil-t-family
ip netns add $ns
tap_check "the family answers in a network namespace created inside the VM" \
	ip netns exec $ns "$probe"
ip netns del $ns

tap_done
