# Helpers for the path tests (sourced after lib.sh and capture_common.sh).
PATHOPS=$top_builddir/tests/pathops
[ -x "$PATHOPS" ] || fail "tests/pathops not built"

# check CHECK RECORD ARGS...: a per-event check of tests/path_check.py.
check() { "$PY" "$TESTS_DIR/path_check.py" "$@" || fail "$*"; }

# wait_recorded RECORD STRING: until RECORD holds STRING (fanotop stops at once
# when told to; naming a long path may take it a while), a minute at most.
wait_recorded() {
    n=0
    until grep -qF -- "$2" "$1" 2>/dev/null; do
        n=$((n + 1))
        [ $n -lt 600 ] || return 0
        sleep 0.1
    done
}
