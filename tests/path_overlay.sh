# An overlay (lower, upper and work directories on a scratch filesystem,
# mounted by the test) and processes working in it, chrooted and by plain
# paths: every access is recorded once, named by the merged path as the host
# sees it; none by the path of a layer file the overlay used for it, nor by
# a path relative to the overlay's own mount of a layer, nor in its work
# directory; a file created in the overlay is created there, a lower file
# removed is deleted there. Layers on a tmpfs (file handles) and on a ramfs
# (none: events come with fds, creates and deletes are not reported), and
# on a tmpfs with the overlay mounted after fanotop has started.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/path_common.sh"
command -v chroot >/dev/null 2>&1 || skip "chroot not installed"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
    skip "no overlay filesystem"

overlay() { # overlay DIR [fd-only|late]
    t=$1
    mkdir -p "$t/lower/bin" "$t/upper" "$t/work" "$t/merged"
    echo hello >"$t/lower/hello"
    echo gone >"$t/lower/gone"
    # A copy of cat with its own name, a shell, and what they load, for the chroot.
    sh=$(readlink -f /bin/sh)
    cp /bin/cat "$t/lower/bin/ovlcat"
    cp "$sh" "$t/lower/bin/sh"
    for lib in $( (ldd /bin/cat; ldd "$sh") | grep -o '/[^ ]*'); do
        mkdir -p "$t/lower$(dirname "$lib")"
        cp -n "$lib" "$t/lower$lib"
    done
    rec="$SCRATCH/overlay.csv"
    [ "${2:-}" = late ] && fanotop_start "$rec" "$t"
    mount -t overlay overlay \
        -o "lowerdir=$t/lower,upperdir=$t/upper,workdir=$t/work" "$t/merged" ||
        skip "cannot mount an overlay"
    echo "umount -l '$t/merged' 2>/dev/null" >>"$_cleanup_file"
    if [ "${2:-}" = late ]; then
        # taken in with the mount table: the overlay and its layers
        wait_for grep -q "^fanotop: watching $t/merged (overlay, .*), mounted after start$" \
            "$SCRATCH/fanotop.err"
    else
        fanotop_start "$rec" "$t"
    fi
    chroot "$t/merged" /bin/ovlcat /hello >/dev/null || fail "chroot cat failed"
    "$t/merged/bin/ovlcat" "$t/merged/hello" >/dev/null || fail "plain cat failed"
    chroot "$t/merged" /bin/sh -c 'echo x >/made-inside' || fail "chroot write failed"
    "$PATHOPS" write "$t/merged/made-outside"
    "$PATHOPS" unlink "$t/merged/gone"
    fanotop_stop

    m=$t/merged
    check has "$rec" "$m/bin/ovlcat" open_exec
    check has "$rec" "$m/hello" open,access,close_nowrite
    check has "$rec" "$m/bin/sh" open_exec
    if [ "${2:-}" != fd-only ]; then
        check has "$rec" "$m/made-inside" create,open,modify,close_write
        check has "$rec" "$m/made-outside" create,open,modify,close_write
        check has "$rec" "$m/gone" delete
    else
        check has "$rec" "$m/made-inside" open,modify,close_write
        check has "$rec" "$m/made-outside" open,modify,close_write
    fi
    for comm in ovlcat pathops sh; do
        check none-under "$rec" "$t/lower" "$comm"
        check none-under "$rec" "$t/upper" "$comm"
        # the overlay's own mounts of its layers name "/hello", "/bin/sh"...
        for rel in /hello /bin /lib /lib64 /made-inside /usr; do
            check none-under "$rec" "$rel" "$comm"
        done
    done
    # An overlay mounted while fanotop runs makes its work directory's
    # files in the mount command, before the mount table shows it.
    if [ "${2:-}" = late ]; then
        for comm in ovlcat pathops sh; do
            check none-under "$rec" "$t/work" "$comm"
        done
    else
        check none-under "$rec" "$t/work"
    fi
    # one record per access: the reads of hello, one per cat
    "$PY" - "$rec" "$m/hello" <<'PY' || fail "an access recorded twice on $1"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline=""))
        if r["comm"] == "ovlcat" and r["path"] == sys.argv[2] and "access" in r["event"]]
if len(rows) != 2:
    sys.exit("%d reads of %s by ovlcat, want 2: %r" % (len(rows), sys.argv[2], rows))
PY
    umount "$t/merged"
}

overlay "$(mount_tmpfs)"
ram="$SCRATCH/ramfs"
mkdir -p "$ram"
mount -t ramfs fanotop-test "$ram" || fail "cannot mount ramfs"
echo "umount -l '$ram' 2>/dev/null" >>"$_cleanup_file"
overlay "$ram" fd-only
umount "$ram"
late=$SCRATCH/late
mkdir -p "$late"
mount -t tmpfs fanotop-late "$late" || fail "cannot mount a tmpfs"
echo "umount -l '$late' 2>/dev/null" >>"$_cleanup_file"
overlay "$late" late
exit 0
