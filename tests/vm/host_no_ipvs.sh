#!/bin/sh
# On a kernel without IPVS (the build host's: CONFIG_IP_VS is not set), the
# probe must say so and fail, rather than report an IPVS it did not reach.
# This is why IPVS tests run in the VM (tests/vm/run-tests).
. "${top_srcdir:-.}/tests/vm/tap.sh"

probe=${top_builddir:-.}/tests/vm/ipvs_probe
if [ -e /proc/net/ip_vs ] || modprobe -n -q ip_vs 2>/dev/null; then
	tap_skip "ipvs_probe fails on a kernel without IPVS" "this kernel has IPVS"
	tap_done
fi

out=$("$probe" 2>&1)
rc=$?
if [ $rc -eq 2 ]; then tap_ok "ipvs_probe exits 2 (no IPVS family)"; else
	tap_fail "ipvs_probe exits 2 (no IPVS family), got $rc"
	printf '%s\n' "$out" | tap_diag
fi
case $out in
*"family IPVS not found"*) tap_ok "ipvs_probe names the missing family" ;;
*) tap_fail "ipvs_probe names the missing family" ;;
esac
case $out in
*"IPVS version"*) tap_fail "ipvs_probe reports no IPVS version" ;;
*) tap_ok "ipvs_probe reports no IPVS version" ;;
esac
tap_done
