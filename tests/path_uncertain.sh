# A write whose directory was moved, where the move was lost in a kernel
# queue overflow: where the directory was at the write cannot be known. The
# write is recorded with its later path marked by a leading "?", never as
# certain, and the summary counts it. fanotop is stopped while the events
# queue, past the kernel's limit.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/path_common.sh"
knob=/proc/sys/fs/fanotify/max_queued_events
limit=$(cat "$knob" 2>/dev/null || echo 16384)
[ "$limit" -le 100000 ] || skip "the kernel's queue limit ($limit) is too large to fill"

tmp=$(mount_tmpfs)
mkdir -p "$tmp/in" "$tmp/out/d"
rec="$SCRATCH/unsure.csv"
fanotop_start "$rec" "$tmp/in"
stop_all "$FPID"
"$PATHOPS" write "$tmp/out/d/f"
# more new files than the queue holds: it overflows, and the move is lost
"$FSOPS" create "$tmp/out" $((limit + 1000))
mv "$tmp/out/d" "$tmp/in/d"
kill -CONT "$FPID"
wait_for "$rec" "?$tmp/in/d/f" # the backlog takes a while (much more under a sanitizer)
fanotop_stop
"$PY" "$TESTS_DIR/path_check.py" has "$rec" "?$tmp/in/d/f" modify,close_write ||
    fail "the write is not marked: $(cat "$rec")"
"$PY" "$TESTS_DIR/path_check.py" none-under "$rec" "$tmp/in/d" ||
    fail "the write is named as certain"
grep -qE '^fanotop: [0-9]+ of them with a path not known for certain \(starting with \?\)$' \
    "$SCRATCH/fanotop.err" || fail "no count in the summary: $(cat "$SCRATCH/fanotop.err")"
exit 0
