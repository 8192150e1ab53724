# Helpers for the live capture tests (sourced after lib.sh).
FSOPS=$top_builddir/tests/fsops
PY=${PYTHON3:-python3}
[ -x "$FSOPS" ] || fail "tests/fsops not built"
command -v flock >/dev/null 2>&1 || skip "flock not installed"

# The overflow test lowers the machine's fanotify queue limit while its own
# fanotop starts: it holds this lock exclusively meanwhile, and every other
# capture test holds it shared while its fanotop creates its groups.
exec 9>>"${TMPDIR:-/tmp}/fanotop-capture-tests.lock"

# fanotop_start OUT ARGS...: record to OUT in the background, return once
# the capture thread is reading (its fanotify marks are in place). Sets FPID.
fanotop_start() {
    out=$1
    shift
    [ -n "${CAPTURE_LOCKED:-}" ] || flock -s 9
    "$FANOTOP" --record="$out" "$@" 2>"$SCRATCH/fanotop.err" &
    FPID=$!
    at_exit "kill $FPID 2>/dev/null"
    n=0
    while :; do
        kill -0 "$FPID" 2>/dev/null || fail "fanotop exited at start: $(cat "$SCRATCH/fanotop.err")"
        # Marks show in the groups' fdinfo once capture_start has set them up.
        marks=$(cat /proc/"$FPID"/fdinfo/* 2>/dev/null | grep -c '^fanotify ' || true)
        [ "$marks" -gt 0 ] && [ "$marks" = "${last_marks:-}" ] && break
        last_marks=$marks
        n=$((n + 1))
        [ $n -lt 100 ] || fail "fanotop not ready after 10 s"
        sleep 0.1
    done
    last_marks=
    [ -n "${CAPTURE_LOCKED:-}" ] || flock -u 9
    sleep 0.2
}

# fanotop_stop: SIGINT, then wait; fails unless it exits 0.
fanotop_stop() {
    sleep 0.3 # let the last events reach the record
    kill -INT "$FPID"
    wait "$FPID"
    rc=$?
    [ $rc = 0 ] || fail "fanotop exited $rc: $(cat "$SCRATCH/fanotop.err")"
}

# Wait until the record file stops growing (the backlog is written).
settle() {
    prev=-1
    while :; do
        size=$(stat -c %s "$1" 2>/dev/null || echo 0)
        [ "$size" = "$prev" ] && break
        prev=$size
        sleep 0.5
    done
}

# stop_all PID: SIGSTOP, then wait until every thread of PID has stopped
# (the signal is delivered after kill returns).
stop_all() {
    kill -STOP "$1"
    while :; do
        all=1
        for t in /proc/"$1"/task/*; do
            s=$(sed 's/.*) //' "$t/stat" | cut -d' ' -f1)
            [ "$s" = T ] || [ "$s" = t ] || all=0
        done
        [ $all = 1 ] && return
        sleep 0.01
    done
}
