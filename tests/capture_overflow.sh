# A kernel queue overflow becomes overflow records, the summary on stderr
# counts them, and capture goes on after it; --unlimited-queue has none. The queue limit is lowered for
# fanotop's groups only (it applies to groups created after the change), and
# fanotop is stopped (SIGSTOP) while the load runs, so the overflow is sure.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"

knob=/proc/sys/fs/fanotify/max_queued_events
[ -w "$knob" ] || skip "$knob not writable"
dir=$(mount_tmpfs)
rec="$SCRATCH/overflow.csv"

flock -x -w 300 9 || fail "the capture tests lock is still held after 300 s"
old=$(cat "$knob")
at_exit "echo $old >$knob"
echo 64 >"$knob"
CAPTURE_LOCKED=1 fanotop_start "$rec" "$dir"
echo "$old" >"$knob"
flock -u 9

kill -STOP "$FPID"
"$FSOPS" flood "$dir" 5000 >/dev/null
kill -CONT "$FPID"
sleep 0.5
mkdir "$dir/after"
echo x >"$dir/after/file"
"$FSOPS" read "$dir/after/file"
fanotop_stop
summary=$(grep 'kernel overflows' "$SCRATCH/fanotop.err")
"$PY" "$TESTS_DIR/capture_check.py" overflow "$rec" "$FPID" "$summary" || fail "overflow not reported"
"$PY" "$TESTS_DIR/capture_check.py" count "$rec" "$dir/after/file" 1 || fail "no events after the overflow"

rec="$SCRATCH/unlimited.csv"
flock -x -w 300 9 || fail "the capture tests lock is still held after 300 s"
echo 64 >"$knob"
CAPTURE_LOCKED=1 fanotop_start "$rec" --unlimited-queue "$dir"
echo "$old" >"$knob"
flock -u 9
kill -STOP "$FPID"
"$FSOPS" flood "$dir" 5000 >/dev/null
kill -CONT "$FPID"
fanotop_stop
grep -q ' 0 kernel overflows' "$SCRATCH/fanotop.err" ||
    fail "--unlimited-queue overflowed: $(cat "$SCRATCH/fanotop.err")"
"$PY" "$TESTS_DIR/capture_check.py" count "$rec" "$dir/flood-" 64 || fail "--unlimited-queue lost events"
exit 0
