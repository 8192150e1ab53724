# The rename race: a write into a directory and, 0.1 ms later, a move of
# that directory into or out of PATH. Every recorded event names where the
# directory was at the event, or is marked; at least 99% of the writes made
# inside PATH are recorded. Hundreds of rounds, on a scratch tmpfs and on a
# directory of the root filesystem, watched as PATH, as a mount (its file
# events come through a mount mark, with handles) and as a filesystem.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/path_common.sh"

race() { # race BASE GAP_US [fanotop options]
    base=$1 gap=$2
    shift 2
    rm -rf "$base/in" "$base/out"
    mkdir -p "$base/in" "$base/out"
    rec="$SCRATCH/race.csv"
    fanotop_start "$rec" "$@" "$base/in"
    "$PATHOPS" race "$base/in" "$base/out" 300 "$gap" >"$SCRATCH/manifest" || fail "pathops race failed"
    fanotop_stop
    figures=$("$PY" "$TESTS_DIR/path_check.py" race "$rec" "$SCRATCH/manifest" "$base/in") ||
        fail "race on $base (gap ${gap} us, $*): $figures"
    echo "$base gap ${gap}us $*: $figures"
}

tmp=$(mount_tmpfs)
root=$(rootfs_dir)
race "$tmp" 100
race "$tmp" 0
race "$root" 100
race "$tmp" 100 --mount
race "$root" 100 --mount
race "$tmp" 100 --filesystem
race "$root" 1000 --filesystem
exit 0
