# TAP helpers for the VM tests (tests/vm/t_*.sh) and host-side shell tests.
# Source it, call tap_check / tap_ok / tap_fail / tap_skip, end with tap_done.
# A test's exit status says whether the script itself ran to its end; each
# assertion's verdict is its own "ok" or "not ok" line.

tap_count=0

# tap_ok DESCRIPTION: record a passed assertion.
tap_ok() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count - $*"
}

# tap_fail DESCRIPTION: record a failed assertion.
tap_fail() {
	tap_count=$((tap_count + 1))
	echo "not ok $tap_count - $*"
}

# tap_skip DESCRIPTION REASON: record an assertion that could not apply here.
tap_skip() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count - $1 # SKIP $2"
}

# tap_diag: copy stdin as TAP diagnostics (lines starting with "# ").
tap_diag() {
	sed 's/^/# /'
}

# tap_check DESCRIPTION COMMAND [ARGS...]: ok when COMMAND exits 0; on failure
# its output is shown as diagnostics.
tap_check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		tap_ok "$desc"
	else
		tap_fail "$desc"
		printf '%s\n' "command: $*" "$out" | tap_diag
	fi
}

# tap_done: print the plan; exit 0 (the verdicts are in the ok/not ok lines).
tap_done() {
	echo "1..$tap_count"
	exit 0
}
