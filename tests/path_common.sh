# Helpers for the path tests (sourced after lib.sh and capture_common.sh).
PATHOPS=$top_builddir/tests/pathops
[ -x "$PATHOPS" ] || fail "tests/pathops not built"

# check CHECK RECORD ARGS...: a per-event check of tests/path_check.py.
check() { "$PY" "$TESTS_DIR/path_check.py" "$@" || fail "$*"; }
