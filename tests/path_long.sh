# Paths longer than the kernel names (over 4096 bytes): directories of
# 200-byte names 21 and 40 deep, made with mkdirat/openat, a file written
# and read at the bottom. Its path is recorded byte-exact in PATH scope,
# whether the directories were made while fanotop watched or before it
# started, in CSV and JSON Lines, and stays exact through replay, a
# re-record of the replay and the CSV export of the paths and tree views.
# Past 256 KiB a path is "?/NAME", still in PATH scope. On a scratch tmpfs
# and on a directory of the root filesystem. Directories made while watched
# are made by the command fanotop follows: it then marks whole filesystems
# (under PATH alone, inode marks, a file written at once in directories
# just made is written before fanotop can mark them: README, Limitations).
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/path_common.sh"

long() { # long BASE DEPTH FORMAT
    d=$1/deep$2
    rm -rf "$d"
    mkdir -p "$d"
    rec="$SCRATCH/long.$3"
    rm -f "$rec" "$SCRATCH/long-again.$3"
    # made while watched: each directory placed by its create event
    flock -s 9
    "$FANOTOP" --record="$rec" --format="$3" "$d" -- "$PATHOPS" deep "$d" "$2" 200 \
        2>"$SCRATCH/fanotop.err" | sed -n 's/^path //p' >"$SCRATCH/long.path" ||
        fail "fanotop or pathops deep failed: $(cat "$SCRATCH/fanotop.err")"
    flock -u 9
    [ "$(wc -c <"$SCRATCH/long.path")" -gt 4097 ] || fail "the path is not longer than a page"
    check has-file "$rec" "$SCRATCH/long.path" open,modify,close_write,access,close_nowrite
    # there before: named from the kernel, name by name
    rec="$SCRATCH/long-again.$3"
    fanotop_start "$rec" --format="$3" "$d"
    "$PATHOPS" deep "$d" "$2" 200 >/dev/null || fail "pathops deep failed"
    wait_recorded "$rec" /leaf
    fanotop_stop
    check has-file "$rec" "$SCRATCH/long.path" open,modify,close_write,access,close_nowrite
    # replayed, recorded again, exported
    "$FANOTOP" --replay="$rec" --record="$SCRATCH/again.csv" 2>"$SCRATCH/replay.err" ||
        fail "replay failed: $(cat "$SCRATCH/replay.err")"
    check has-file "$SCRATCH/again.csv" "$SCRATCH/long.path" open,modify,close_write
    for view in paths tree; do
        "$FANOTOP" --replay="$rec" --batch --format=csv -v "$view" -n 1 >"$SCRATCH/view.csv" \
            2>"$SCRATCH/view.err" || fail "batch $view failed: $(cat "$SCRATCH/view.err")"
        "$PY" - "$SCRATCH/view.csv" "$SCRATCH/long.path" <<'PY' || fail "$view export cut the path"
import csv, sys
csv.field_size_limit(1 << 30)
want = open(sys.argv[2], "rb").read().decode("utf-8", "surrogateescape").rstrip("\n")
cells = [c for row in csv.reader(open(sys.argv[1], newline="", encoding="utf-8",
                                      errors="surrogateescape")) for c in row]
if want not in cells:
    sys.exit("not in the export: %d bytes, longest cell %d" % (len(want), max(map(len, cells))))
PY
    done
}

# Past the longest path fanotop names (256 KiB: 1400 names of 200 bytes):
# "?/NAME", kept in PATH scope, for it is known to lie below PATH.
too_long() { # too_long BASE
    d=$1/deeper
    mkdir -p "$d"
    "$PATHOPS" deep "$d" 1400 200 >/dev/null || fail "pathops deep failed"
    rec="$SCRATCH/too-long.csv"
    rm -f "$rec"
    fanotop_start "$rec" "$d"
    "$PATHOPS" deep "$d" 1400 200 >/dev/null || fail "pathops deep failed"
    wait_recorded "$rec" ",?/leaf"
    fanotop_stop
    check has "$rec" "?/leaf" open,modify,close_write,access,close_nowrite
    rm -rf "$d"
}

tmp=$(mount_tmpfs)
root=$(rootfs_dir)
too_long "$tmp"
long "$tmp" 21 csv
long "$tmp" 40 jsonl
long "$tmp" 400 jsonl
long "$root" 21 csv
exit 0
