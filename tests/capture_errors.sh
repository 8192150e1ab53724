# Setup errors: not root gives exit 1 and the CAP_SYS_ADMIN message; a PATH
# that does not exist gives exit 2 and names it. A filesystem that cannot
# report file handles keeps its fd-mode events with one notice line.
. "$TESTS_DIR/lib.sh"
need_root
command -v setpriv >/dev/null 2>&1 || skip "setpriv not installed"

expect_status 1 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
    "$FANOTOP" --record=/dev/null
expect_err '^fanotop: fanotify needs root \(CAP_SYS_ADMIN\): Operation not permitted$'

expect_status 2 "$FANOTOP" --record=/dev/null /nonexistent/fanotop-test
expect_err '^fanotop: cannot watch /nonexistent/fanotop-test: No such file or directory$'

expect_status 2 "$FANOTOP" --record=/dev/null "$SCRATCH" /nonexistent/second
expect_err '^fanotop: cannot watch /nonexistent/second: No such file or directory$'

expect_status 0 "$FANOTOP" --record="$SCRATCH/proc.csv" --duration=0.5 /proc/self/status
[ "$(grep -c notice "$SCRATCH/err")" = 1 ] || fail "want one notice line: $(cat "$SCRATCH/err")"
grep -q '^fanotop: notice: no create/delete/move/attrib events on /proc (proc: ' "$SCRATCH/err" ||
    fail "notice does not say what is missing where: $(cat "$SCRATCH/err")"
exit 0
