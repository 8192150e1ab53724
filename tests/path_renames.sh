# The rename race: a write into a directory and, 0.1 ms later, a move of
# that directory into or out of PATH. Every recorded event names where the
# directory was at the event, or is marked; at least 99% of the writes made
# inside PATH are recorded. Hundreds of rounds, on a scratch tmpfs and on a
# directory of the root filesystem, watched as PATH and as a filesystem.
# Under PATH (inode marks on its directories) the rounds' directories are
# made before, and seen by fanotop, as a directory made and written at
# once is written before fanotop can mark it (README: Limitations); made
# at once, they are still never named wrong.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/path_common.sh"

rounds=300

# race BASE GAP_US HOW [fanotop options]: HOW is "made" (the directories
# made before, and recorded), "fresh" (each made just before its write) or
# "named" (fresh, and only the names are checked, not the share recorded).
race() {
    base=$1 gap=$2 dirs=$3
    shift 3
    rm -rf "$base/in" "$base/out"
    mkdir -p "$base/in" "$base/out"
    rec="$SCRATCH/race.csv"
    fanotop_start "$rec" "$@" "$base/in"
    check=race
    if [ "$dirs" = made ]; then
        "$PATHOPS" race-dirs "$base/in" "$base/out" $rounds || fail "pathops race-dirs failed"
        # the last round inside PATH: its directory is marked once recorded
        wait_recorded "$rec" "$base/in/i$((rounds - 1))"
    elif [ "$dirs" = named ]; then
        check=race-named
    fi
    "$PATHOPS" race "$base/in" "$base/out" $rounds "$gap" >"$SCRATCH/manifest" ||
        fail "pathops race failed"
    fanotop_stop
    figures=$("$PY" "$TESTS_DIR/path_check.py" $check "$rec" "$SCRATCH/manifest" "$base/in") ||
        fail "race on $base (gap ${gap} us, $dirs, $*): $figures"
    echo "$base gap ${gap}us $dirs $*: $figures"
}

tmp=$(mount_tmpfs)
root=$(rootfs_dir)
race "$tmp" 100 made
race "$tmp" 0 made
race "$root" 100 made
race "$tmp" 100 named
race "$tmp" 100 fresh --filesystem
race "$root" 1000 fresh --filesystem
exit 0
