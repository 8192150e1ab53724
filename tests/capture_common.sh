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

# no_fd_on MOUNT: no descriptor of fanotop ($FPID) is on a file or
# directory of MOUNT.
no_fd_on() {
    for l in /proc/"$FPID"/fd/*; do
        t=$(readlink "$l") || continue
        case "$t" in "$1" | "$1"/*) fail "fanotop holds $l -> $t" ;; esac
    done
}

# unmount DIR WHAT: umount succeeds while fanotop runs. Another program
# may hold the mount for a while (an older monitor that keeps a descriptor
# on every mount): that one is waited for, never fanotop.
unmount() {
    n=0
    until umount "$1" 2>"$SCRATCH/umount.err"; do
        no_fd_on "$1"
        n=$((n + 1))
        if [ $n -ge 300 ]; then
            holders=$(ls -l /proc/[0-9]*/fd 2>/dev/null | grep -F -- "-> $1" || true)
            fail "umount of $2 failed while recording: $(cat "$SCRATCH/umount.err"); held by: $holders"
        fi
        sleep 0.1
    done
}
