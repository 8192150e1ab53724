# A narrow PATH costs the rest of its filesystem nothing: its directories
# have inode marks, so a load in a sibling directory never reaches fanotop
# (its --verbose count of events outside the scope stays near zero, where
# --filesystem counts them all), while everything under PATH is recorded:
# in directories made after start, in one moved in, not in one moved out.
# A file PATH is followed when a rename replaces it. A PATH that is a mount
# root, or holds more directories than are marked one by one, is watched
# whole with a notice. On the scratch tmpfs and on the root filesystem.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"

# marked PATH: fanotop holds an inode mark on PATH (fdinfo names the inode
# and the device, both in hex, the device as the kernel encodes it).
marked() {
    ino=$(printf '%x' "$(stat -c %i "$1")") || return 1
    dev=$(printf '%x' $(($(stat -c %Hd "$1") << 20 | $(stat -c %Ld "$1"))))
    cat /proc/"$FPID"/fdinfo/* 2>/dev/null | grep -q "^fanotify ino:$ino sdev:$dev "
}
not() { ! "$@"; }
has() { # has FILE TYPE PATH
    grep -qE ",[^,]*$2[^,]*,$3\$" "$1" || fail "no $2 of $3 in $(cat "$1")"
}
hasnt() { ! grep -qF "$2" "$1" || fail "unexpected event on $2: $(grep -F "$2" "$1")"; }
outside() { sed -n 's/^fanotop: \([0-9]*\) events read were outside the scope.*/\1/p' "$1"; }

narrow() { # narrow BASE: the checks on one filesystem
    base=$1
    w=$base/watched
    sib=$base/sibling
    mkdir -p "$w/old" "$sib" "$base/out/inner"
    echo x >"$w/old/f"
    rec="$SCRATCH/narrow.csv"
    fanotop_start "$rec" --verbose -e open,close,modify,create,moved_to "$w"
    # 1000 opens and closes next door: none may reach fanotop.
    "$FSOPS" flood "$sib" 1000
    mkdir -p "$w/new/sub"
    wait_for marked "$w/new/sub"
    echo a >"$w/new/sub/made"
    mv "$base/out" "$w/moved"
    wait_for marked "$w/moved/inner"
    echo b >"$w/moved/inner/in"
    mv "$w/new" "$base/gone"
    wait_for not marked "$base/gone/sub"
    echo c >"$base/gone/sub/after"
    echo d >"$w/old/f"
    fanotop_stop
    has "$rec" close_write "$w/new/sub/made"
    has "$rec" create "$w/new"
    has "$rec" close_write "$w/moved/inner/in"
    has "$rec" moved_to "$w/moved"
    has "$rec" close_write "$w/old/f"
    hasnt "$rec" "$base/gone/sub/after"
    hasnt "$rec" "$sib/"
    n=$(outside "$SCRATCH/fanotop.err")
    [ -n "$n" ] || fail "no count of events outside the scope: $(cat "$SCRATCH/fanotop.err")"
    [ "$n" -lt 10 ] || fail "$n events from outside PATH reached fanotop"

    # The same load while following a command, which keeps a filesystem
    # mark: the load's events reach fanotop (at least one per file of its
    # 64, however the kernel merges them) and are counted as outside.
    fanotop_start "$rec" --verbose -e open,close "$w" -- \
        sh -c "while [ ! -e '$base/stop' ]; do sleep 0.05; done"
    "$FSOPS" flood "$sib" 1000
    : >"$base/stop"
    wait "$FPID" || fail "fanotop exited $?: $(cat "$SCRATCH/fanotop.err")"
    n=$(outside "$SCRATCH/fanotop.err")
    [ "${n:-0}" -ge 64 ] || fail "with a filesystem mark, only ${n:-no} events outside counted"
    rm -rf "${base:?}"/*
}

tmp=$(mount_tmpfs)
narrow "$tmp"
narrow "$(rootfs_dir)"

# A file PATH: its events, not its neighbour's, also once a rename has
# replaced it (an editor's save, a new resolv.conf).
d=$tmp/single
mkdir -p "$d"
echo 1 >"$d/conf"
echo 1 >"$d/other"
rec="$SCRATCH/single.csv"
fanotop_start "$rec" "$d/conf"
cat "$d/conf" "$d/other" >/dev/null
echo 2 >"$d/conf.new"
mv "$d/conf.new" "$d/conf"
wait_for marked "$d/conf"
"$FSOPS" read "$d/conf"
fanotop_stop
has "$rec" moved_to "$d/conf"
[ "$(grep -cE ",[^,]*access[^,]*,$d/conf\$" "$rec")" -ge 2 ] ||
    fail "the file PATH is not followed through its replacement: $(cat "$rec")"
hasnt "$rec" "$d/other"
hasnt "$rec" "$d/conf.new"

# Directories made while the kernel's queue overflowed (their events lost)
# are found by a look through PATH after the overflow, and marked.
mkdir -p "$tmp/ov/w"
rec="$SCRATCH/ov.csv"
fanotop_start "$rec" "$tmp/ov/w"
kill -STOP "$FPID"
"$FSOPS" create "$tmp/ov/w" 40000 # more than the default queue holds
mkdir -p "$tmp/ov/w/lost/deep"
kill -CONT "$FPID"
settle "$rec"
if grep -q ',overflow,' "$rec"; then
    wait_for marked "$tmp/ov/w/lost/deep"
    echo x >"$tmp/ov/w/lost/deep/f"
    fanotop_stop
    has "$rec" close_write "$tmp/ov/w/lost/deep/f"
else
    fanotop_stop
    echo "no queue overflow (a larger fs.fanotify.max_queued_events?): not checked" >&2
fi

# A mount root is watched whole: --verbose says so in a notice (without
# it, only where the filesystem is mounted elsewhere too).
rec="$SCRATCH/root.csv"
fanotop_start "$rec" --verbose "$tmp"
echo x >"$tmp/top"
fanotop_stop
has "$rec" close_write "$tmp/top"
grep -q "^fanotop: notice: watching the whole filesystem of $tmp (tmpfs): it is a mount root$" \
    "$SCRATCH/fanotop.err" || fail "no notice for a mount root: $(cat "$SCRATCH/fanotop.err")"

# More directories than are marked one by one: the filesystem is watched
# whole, with a notice, and nothing under PATH is missed.
limit=32768
max=$(cat /proc/sys/fs/fanotify/max_user_marks 2>/dev/null || echo 0)
[ $((max / 2)) -lt $limit ] && limit=$((max / 2))
"$PY" -c 'import os, sys
for i in range(int(sys.argv[2]) + 1):
    os.mkdir(os.path.join(sys.argv[1], "d%d" % i))' "$(mkdir -p "$tmp/many" && echo "$tmp/many")" "$limit"
rec="$SCRATCH/many.csv"
fanotop_start "$rec" "$tmp/many"
echo x >"$tmp/many/d7/f"
fanotop_stop
has "$rec" close_write "$tmp/many/d7/f"
grep -q "^fanotop: notice: watching the whole filesystem of .*: more than $limit directories" \
    "$SCRATCH/fanotop.err" || fail "no notice above the limit: $(cat "$SCRATCH/fanotop.err")"
exit 0
