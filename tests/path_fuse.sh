# A FUSE daemon that stops answering: fanotop watches a FUSE filesystem (a
# one-file filesystem the test builds with libfuse) and a scratch tmpfs; the
# FUSE file's events are recorded while the daemon answers; then one is
# queued and the daemon stopped (SIGSTOP) before fanotop reads it. Events of
# the tmpfs are still recorded, a notice says a filesystem does not answer,
# and SIGTERM ends fanotop while the daemon is still stopped. Once with the
# FUSE filesystem mounted before fanotop starts, once mounted after, below a
# PATH (marked then, in the group its worker reads, started then).
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/path_common.sh"
FUSEHELLO=$top_builddir/tests/fusehello
[ -x "$FUSEHELLO" ] || skip "tests/fusehello not built (install libfuse3-dev, then configure)"
[ -c /dev/fuse ] || skip "no /dev/fuse"
command -v fusermount3 >/dev/null 2>&1 || skip "fusermount3 not installed (fuse3)"

# fuse_mount DIR: the one-file filesystem on DIR; sets DAEMON.
fuse_mount() {
    mkdir -p "$1"
    at_exit "umount -l '$1' 2>/dev/null"
    "$FUSEHELLO" -f "$1" >"$SCRATCH/fuse.out" 2>"$SCRATCH/fuse.err" &
    at_exit "kill $! 2>/dev/null"
    n=0
    until grep -q " $1 .* fuse.fusehello " /proc/self/mountinfo &&
        grep -q '^pid ' "$SCRATCH/fuse.out"; do
        n=$((n + 1))
        [ $n -lt 100 ] || skip "cannot mount a FUSE filesystem: $(cat "$SCRATCH/fuse.err")"
        sleep 0.05
    done
    DAEMON=$(sed -n 's/^pid //p' "$SCRATCH/fuse.out")
    at_exit "kill -CONT $DAEMON 2>/dev/null"
}

# stall WHEN: the case with the FUSE filesystem mounted WHEN (before, after)
# fanotop starts.
stall() {
    tmp=$(mount_tmpfs)
    rm -f "$tmp"/during*
    fuse=$SCRATCH/$1/fuse
    mkdir -p "$SCRATCH/$1"
    [ "$1" = before ] && fuse_mount "$fuse"
    # Other monitors that watch every filesystem wait on the stopped daemon
    # too (for a few seconds): those of other tests mostly watch their own
    # scratch filesystems, and name processes only by exec elsewhere.
    rec="$SCRATCH/fuse-$1.csv"
    # The worker waiting in the kernel is left to the exit: LeakSanitizer
    # would wait at the exit to stop it (and count its memory).
    watched=$fuse
    [ "$1" = before ] || watched=$SCRATCH/$1
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        fanotop_start "$rec" "$watched" "$tmp"
    if [ "$1" = after ]; then
        fuse_mount "$fuse"
        wait_for grep -q "^fanotop: watching $fuse (fuse.fusehello, .*), mounted after start$" \
            "$SCRATCH/fanotop.err"
    fi
    # While the daemon answers, its events are named (by the worker) like any.
    cat "$fuse/hello" >/dev/null || fail "cannot read the FUSE file"
    wait_recorded "$rec" "$fuse/hello"
    "$PY" "$TESTS_DIR/path_check.py" has "$rec" "$fuse/hello" open,access,close_nowrite ||
        fail "the FUSE file's events are missing ($1)"
    stop_all "$FPID"
    cat "$fuse/hello" >/dev/null || fail "cannot read the FUSE file"
    stop_all "$DAEMON"
    kill -CONT "$FPID"
    for i in 1 2 3; do
        "$PATHOPS" write "$tmp/during$i"
    done
    # the tmpfs writes reach the record while the daemon is stopped
    n=0
    until [ "$(grep -c "$tmp/during" "$rec" 2>/dev/null)" -ge 3 ]; do
        n=$((n + 1))
        [ $n -lt 200 ] || fail "tmpfs events stopped with the FUSE daemon ($1): $(cat "$rec")"
        sleep 0.05
    done
    n=0
    until grep -q "does not answer" "$SCRATCH/fanotop.err"; do
        n=$((n + 1))
        [ $n -lt 200 ] || fail "no notice of the stall ($1): $(cat "$SCRATCH/fanotop.err")"
        sleep 0.05
    done
    # Should it not end, the daemon is let go after a minute, and the test fails.
    rm -f "$SCRATCH/let-go"
    (sleep 60 && touch "$SCRATCH/let-go" && kill -CONT "$DAEMON") &
    watchdog=$!
    start=$(date +%s%N)
    kill -TERM "$FPID"
    wait "$FPID"
    rc=$?
    end=$(date +%s%N)
    kill "$watchdog" 2>/dev/null
    [ ! -e "$SCRATCH/let-go" ] || fail "fanotop ended only once the daemon answered ($1)"
    kill -CONT "$DAEMON"
    echo "$1: ended $(((end - start) / 1000000)) ms after SIGTERM, the daemon stopped"
    [ $rc = 0 ] || fail "fanotop exited $rc ($1): $(cat "$SCRATCH/fanotop.err")"
    for i in 1 2 3; do
        "$PY" "$TESTS_DIR/path_check.py" has "$rec" "$tmp/during$i" open,modify,close_write ||
            fail "tmpfs write $i missing ($1)"
    done
    umount "$fuse" 2>/dev/null || umount -l "$fuse"
    umount "$tmp"
}

stall before
stall after
flock -u 9
exit 0
