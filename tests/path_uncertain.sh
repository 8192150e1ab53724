# A write whose directory was moved, where the move was lost in a kernel
# queue overflow: where the directory was at the write cannot be known. The
# write is recorded with its later path marked by a leading "?", never as
# certain, and the summary counts it. fanotop is stopped while the events
# queue, past the kernel's limit. Watched as a filesystem (the write and the
# flood outside the directory it is moved into), and as PATH (inode marks:
# the write, the flood and the move under PATH).
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/path_common.sh"
knob=/proc/sys/fs/fanotify/max_queued_events
limit=$(cat "$knob" 2>/dev/null || echo 16384)
[ "$limit" -le 100000 ] || skip "the kernel's queue limit ($limit) is too large to fill"

# unsure WRITTEN FLOOD_DIR FROM TO [fanotop options]: WRITTEN is written in
# FROM, FLOOD_DIR gets more new files than the queue holds, FROM moves to TO.
unsure() {
    written=$1 flood=$2 from=$3 to=$4
    shift 4
    rec="$SCRATCH/unsure.csv"
    fanotop_start "$rec" "$@"
    stop_all "$FPID"
    "$PATHOPS" write "$from/$written"
    # more new files than the queue holds: it overflows, and the move is lost
    "$FSOPS" create "$flood" $((limit + 1000))
    mv "$from" "$to"
    kill -CONT "$FPID"
    fanotop_stop
    "$PY" "$TESTS_DIR/path_check.py" has "$rec" "?$to/$written" modify,close_write ||
        fail "the write is not marked: $(grep -v ',create,' "$rec")"
    "$PY" "$TESTS_DIR/path_check.py" none-under "$rec" "$to" ||
        fail "the write is named as certain"
    grep -qE '^fanotop: [0-9]+ of them with a path not known for certain \(starting with \?\)$' \
        "$SCRATCH/fanotop.err" || fail "no count in the summary: $(cat "$SCRATCH/fanotop.err")"
}

tmp=$(mount_tmpfs)
mkdir -p "$tmp/in" "$tmp/out/d"
unsure f "$tmp/out" "$tmp/out/d" "$tmp/in/d" --filesystem "$tmp/in"
mkdir -p "$tmp/w/d" "$tmp/w/flood"
unsure f "$tmp/w/flood" "$tmp/w/d" "$tmp/w/e" "$tmp/w"
exit 0
