# A FUSE daemon that stops answering: fanotop watches a FUSE filesystem (a
# one-file filesystem the test builds with libfuse) and a scratch tmpfs; the
# FUSE file's events are recorded while the daemon answers; then one is
# queued and the daemon stopped (SIGSTOP) before fanotop reads it. Events of the tmpfs are still recorded, a notice
# says a filesystem does not answer, and SIGTERM ends fanotop while the
# daemon is still stopped.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/path_common.sh"
FUSEHELLO=$top_builddir/tests/fusehello
[ -x "$FUSEHELLO" ] || skip "tests/fusehello not built (install libfuse3-dev, then configure)"
[ -c /dev/fuse ] || skip "no /dev/fuse"
command -v fusermount3 >/dev/null 2>&1 || skip "fusermount3 not installed (fuse3)"

tmp=$(mount_tmpfs)
fuse=$SCRATCH/fuse
mkdir -p "$fuse"
at_exit "umount -l '$fuse' 2>/dev/null"
"$FUSEHELLO" -f "$fuse" >"$SCRATCH/fuse.out" 2>"$SCRATCH/fuse.err" &
at_exit "kill $! 2>/dev/null"
n=0
until grep -q " $fuse .* fuse.fusehello " /proc/self/mountinfo &&
    grep -q '^pid ' "$SCRATCH/fuse.out"; do
    n=$((n + 1))
    [ $n -lt 100 ] || skip "cannot mount a FUSE filesystem: $(cat "$SCRATCH/fuse.err")"
    sleep 0.05
done
daemon=$(sed -n 's/^pid //p' "$SCRATCH/fuse.out")
at_exit "kill -CONT $daemon 2>/dev/null"

# Other monitors that watch every filesystem wait on the stopped daemon
# too (for a few seconds): those of other tests mostly watch their own
# scratch filesystems, and name processes only by exec elsewhere.
rec="$SCRATCH/fuse.csv"
# The worker waiting in the kernel is left to the exit: LeakSanitizer would
# wait at the exit to stop it (and count its memory).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" fanotop_start "$rec" "$fuse" "$tmp"
# While the daemon answers, its events are named (by the worker) like any.
cat "$fuse/hello" >/dev/null || fail "cannot read the FUSE file"
wait_recorded "$rec" "$fuse/hello"
"$PY" "$TESTS_DIR/path_check.py" has "$rec" "$fuse/hello" open,access,close_nowrite ||
    fail "the FUSE file's events are missing"
stop_all "$FPID"
cat "$fuse/hello" >/dev/null || fail "cannot read the FUSE file"
stop_all "$daemon"
kill -CONT "$FPID"
for i in 1 2 3; do
    "$PATHOPS" write "$tmp/during$i"
done
# the tmpfs writes reach the record while the daemon is stopped
n=0
until [ "$(grep -c "$tmp/during" "$rec" 2>/dev/null)" -ge 3 ]; do
    n=$((n + 1))
    [ $n -lt 200 ] || fail "tmpfs events stopped with the FUSE daemon: $(cat "$rec")"
    sleep 0.05
done
n=0
until grep -q "does not answer" "$SCRATCH/fanotop.err"; do
    n=$((n + 1))
    [ $n -lt 200 ] || fail "no notice of the stall: $(cat "$SCRATCH/fanotop.err")"
    sleep 0.05
done
# Should it not end, the daemon is let go after a minute, and the test fails.
(sleep 60 && touch "$SCRATCH/let-go" && kill -CONT "$daemon") &
watchdog=$!
start=$(date +%s%N)
kill -TERM "$FPID"
wait "$FPID"
rc=$?
end=$(date +%s%N)
kill "$watchdog" 2>/dev/null
[ ! -e "$SCRATCH/let-go" ] || fail "fanotop ended only once the daemon answered"
kill -CONT "$daemon"
flock -u 9
echo "ended $(((end - start) / 1000000)) ms after SIGTERM, the daemon stopped"
[ $rc = 0 ] || fail "fanotop exited $rc: $(cat "$SCRATCH/fanotop.err")"
for i in 1 2 3; do
    "$PY" "$TESTS_DIR/path_check.py" has "$rec" "$tmp/during$i" open,modify,close_write ||
        fail "tmpfs write $i missing"
done
exit 0
