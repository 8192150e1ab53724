# Bind mounts: several PATHs on one filesystem, one a bind mount of a
# sibling directory, each see their own events, in either order; --filesystem
# and --mount on a bind mount name files by paths that exist on the host
# (a file outside the bound subdirectory is named through a mount that shows
# it). On a scratch tmpfs and on a directory of the root filesystem. Once
# the mount of the whole filesystem is unmounted while fanotop runs, its
# files are named through the bind mount that is left.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/path_common.sh"

binds() { # binds BASE
    base=$1
    mkdir -p "$base/s2" "$base/other" "$SCRATCH/b"
    mount --bind "$base/s2" "$SCRATCH/b" || fail "cannot bind-mount $base/s2"
    echo "umount -l '$SCRATCH/b' 2>/dev/null" >>"$_cleanup_file"
    b=$SCRATCH/b
    for order in "$b $base/other" "$base/other $b"; do
        rec="$SCRATCH/binds.csv"
        # shellcheck disable=SC2086
        fanotop_start "$rec" $order
        for i in 1 2 3; do
            "$PATHOPS" write "$base/other/h$i"
            "$PATHOPS" write "$b/k$i"
            "$PATHOPS" write "$base/s2/m$i"
        done
        fanotop_stop
        for i in 1 2 3; do
            check has "$rec" "$base/other/h$i" open,modify,close_write
            check has "$rec" "$b/k$i" open,modify,close_write
            # a file of the bound directory, in scope through the bind mount
            check has "$rec" "$b/m$i" open,modify,close_write
        done
        rm -f "$base"/other/* "$base"/s2/*
    done
    for how in --filesystem --mount; do
        rec="$SCRATCH/wide.csv"
        fanotop_start "$rec" "$how" "$b"
        "$PATHOPS" write "$base/other/f"
        "$PATHOPS" write "$b/g"
        fanotop_stop
        if [ "$how" = --filesystem ]; then
            check has "$rec" "$base/other/f" open,modify,close_write
            check has "$rec" "$base/s2/g" open,modify,close_write
        else
            # the mount's own accesses, by the mount's names
            check has "$rec" "$b/g" open,modify,close_write
        fi
        check none-under "$rec" /other
        check none-under "$rec" /s2
        rm -f "$base"/other/* "$base"/s2/*
    done
    umount "$b"
}

binds "$(mount_tmpfs)"
binds "$(rootfs_dir)"

# named_through_part: files written through the bind mount left are named
# through it (N counts the tries: the mount table is taken in a moment
# after the unmount).
named_through_part() {
    n=$((n + 1))
    "$PATHOPS" write "$part/late$n"
    sleep 0.1
    grep -qF ",$part/late" "$rec"
}
whole=$SCRATCH/whole
part=$SCRATCH/part
mkdir -p "$whole" "$part"
mount -t tmpfs fanotop-whole "$whole" || fail "cannot mount a tmpfs"
echo "umount -l '$whole' 2>/dev/null" >>"$_cleanup_file"
mkdir -p "$whole/s2"
mount --bind "$whole/s2" "$part" || fail "cannot bind-mount $whole/s2"
echo "umount -l '$part' 2>/dev/null" >>"$_cleanup_file"
rec="$SCRATCH/gone.csv"
fanotop_start "$rec" --filesystem "$part"
"$PATHOPS" write "$part/early"
wait_recorded "$rec" "$whole/s2/early"
unmount "$whole" "the mount of the whole filesystem"
n=0
wait_for named_through_part
fanotop_stop
check has "$rec" "$whole/s2/early" open,modify,close_write
check has "$rec" "$part/late$n" open,modify,close_write
exit 0
