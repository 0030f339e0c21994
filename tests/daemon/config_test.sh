#!/bin/sh
# vigild -t: exit 0 on a valid config, 3 with errors (printed as
# file:line:col), touching nothing.
. "${top_srcdir:-.}/tests/daemon/lib.sh"

write_config "$T/good.conf"
"$VIGILD" -t -f "$T/good.conf" >"$T/out" 2>&1
rc=$?
check "-t exits 0 on a valid config" [ $rc -eq 0 ]
[ $rc -eq 0 ] || diag "$T/out"

"$VIGILD" --config-test="$T/good.conf" >"$T/out" 2>&1
check "--config-test=FILE exits 0 on a valid config" [ $? -eq 0 ]

write_broken_config "$T/bad.conf"
"$VIGILD" -t -f "$T/bad.conf" >"$T/out" 2>&1
rc=$?
check "-t exits 3 on a config with errors" [ $rc -eq 3 ]
check "-t prints the error as file:line:col" grep -q "^$T/bad.conf:[0-9]*:[0-9]*: error:" "$T/out"
[ $rc -eq 3 ] || diag "$T/out"

"$VIGILD" -t -f "$T/missing.conf" >"$T/out" 2>&1
check "-t exits 3 on a missing file" [ $? -eq 3 ]
check "-t names the missing file" grep -q "$T/missing.conf" "$T/out"

# Exit 4: the daemon would run it, keepalived -t fails it.
{ cat "$T/good.conf"; printf 'global_defs {\n\trouter_idd x\n}\n'; } >"$T/unknown.conf"
"$VIGILD" -t -f "$T/unknown.conf" >"$T/out" 2>&1
check "-t exits 4 on an unknown keyword" [ $? -eq 4 ]
sed 's|^\tadvert_int 1$|\tnotify_master /bin/true|' "$T/good.conf" >"$T/script.conf"
"$VIGILD" -t -f "$T/script.conf" >"$T/out" 2>&1
check "-t exits 4 on a script without enable_script_security" [ $? -eq 4 ]
check "-t names the script's line and the fix" \
	grep -q "^$T/script.conf:9:[0-9]*: warning: .*add enable_script_security" "$T/out"

# -e: a missing include is an error, not a warning.
{ echo "include $T/nothere.conf"; cat "$T/good.conf"; } >"$T/include.conf"
"$VIGILD" -t -f "$T/include.conf" >/dev/null 2>&1
check "-t accepts a missing include" [ $? -eq 0 ]
"$VIGILD" -e -t -f "$T/include.conf" >/dev/null 2>&1
check "-e -t rejects a missing include" [ $? -eq 3 ]

"$VIGILD" -t -f "$T/good.conf" -p "$PIDFILE" >/dev/null 2>&1
check "-t creates no pidfile" [ ! -e "$PIDFILE" ]

"$VIGILD" --no-such-flag >/dev/null 2>&1
check "an unknown flag exits 2" [ $? -eq 2 ]
"$VIGILD" -v >"$T/out" 2>&1
check "-v prints the version" grep -q '^vigil [0-9]' "$T/out"
done_testing
