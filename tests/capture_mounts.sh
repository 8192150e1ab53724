# fanotop pins no mount: while it records, umount of a watched and of an
# unwatched tmpfs succeeds, the watched one's going gets a notice, and
# fanotop goes on recording the rest; it holds no descriptor on any mount.
# With no PATH, a tmpfs mounted after start is watched (with a notice), and
# so is one mounted only in another mount namespace (unshare -m), its
# events named as the process there saw them; a lazy unmount is told too.
# A descriptor limit too low for the filesystems to watch is one clear
# error; a soft limit below the hard one is raised.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
command -v unshare >/dev/null 2>&1 || skip "unshare not installed"

# mnt NAME: a scratch tmpfs on $SCRATCH/NAME, unmounted at exit if still there.
mnt() {
    mkdir -p "$SCRATCH/$1"
    mount -t tmpfs "fanotop-$1" "$SCRATCH/$1" || fail "cannot mount a tmpfs on $SCRATCH/$1"
    echo "umount -l '$SCRATCH/$1' 2>/dev/null" >>"$_cleanup_file"
}
# wait_err PATTERN: until fanotop's stderr has a line matching PATTERN.
err_has() {
    kill -0 "$FPID" 2>/dev/null || fail "fanotop exited: $(cat "$SCRATCH/fanotop.err")"
    grep -qE -- "$1" "$SCRATCH/fanotop.err"
}
wait_err() { wait_for err_has "$1"; }
has() { grep -qE ",[^,]*$2[^,]*,$3\$" "$1" || fail "no $2 of $3 in $(cat "$1")"; }
# recorded FILE PATH: until FILE has an event on PATH. An event still queued
# when its filesystem goes is read after it: it keeps its place, but its
# path can no longer be looked up ("?/NAME"), so the tests wait for theirs.
recorded() { wait_for grep -qF ",$2" "$1"; }

# PATH scope: one watched tmpfs, one other that is only named by execs.
mnt watched
mnt kept
mnt other
echo x >"$SCRATCH/other/f"
rec="$SCRATCH/path.csv"
fanotop_start "$rec" "$SCRATCH/watched" "$SCRATCH/kept"
echo a >"$SCRATCH/watched/a"
recorded "$rec" "$SCRATCH/watched/a"
no_fd_on "$SCRATCH/watched"
no_fd_on "$SCRATCH/other"
unmount "$SCRATCH/other" "an unwatched tmpfs"
unmount "$SCRATCH/watched" "a watched tmpfs"
wait_err "^fanotop: no longer watching $SCRATCH/watched \\(tmpfs\\): unmounted$"
echo b >"$SCRATCH/kept/b"
recorded "$rec" "$SCRATCH/kept/b"
fanotop_stop
has "$rec" close_write "$SCRATCH/watched/a"
has "$rec" close_write "$SCRATCH/kept/b"

# No PATH: what is mounted later, here or in another namespace, is watched.
rec="$SCRATCH/all.csv"
fanotop_start "$rec" --verbose
mnt late
wait_err "^fanotop: watching $SCRATCH/late \\(tmpfs, .*\\), mounted after start$"
echo c >"$SCRATCH/late/c"
recorded "$rec" "$SCRATCH/late/c"

mkdir -p "$SCRATCH/ns"
unshare -m --propagation private sh -c "
    mount -t tmpfs fanotop-ns '$SCRATCH/ns' || exit 1
    : >'$SCRATCH/ns.mounted'
    while [ ! -e '$SCRATCH/ns.go' ]; do sleep 0.05; done
    echo d >'$SCRATCH/ns/d'
    : >'$SCRATCH/ns.done'
    while [ ! -e '$SCRATCH/ns.end' ]; do sleep 0.05; done" &
nspid=$!
at_exit ": >'$SCRATCH/ns.end'"
wait_err "^fanotop: watching $SCRATCH/ns \\(tmpfs, .*\\), mounted after start in the mount namespace of pid [0-9]+$"
: >"$SCRATCH/ns.go"
wait_for [ -e "$SCRATCH/ns.done" ]
recorded "$rec" "$SCRATCH/ns/d" # named while the namespace, and its mount, are there
: >"$SCRATCH/ns.end"
wait $nspid || fail "the unshare -m shell failed"
wait_err "^fanotop: no longer watching $SCRATCH/ns \\(tmpfs\\): unmounted in the mount namespace"

# A lazy unmount while a file stays open: told, and fanotop goes on.
mnt lazy
wait_err "^fanotop: watching $SCRATCH/lazy \\(tmpfs"
echo e >"$SCRATCH/lazy/e"
recorded "$rec" "$SCRATCH/lazy/e"
exec 7<"$SCRATCH/lazy/e"
umount -l "$SCRATCH/lazy" || fail "lazy umount failed"
wait_err "^fanotop: no longer watching $SCRATCH/lazy \\(tmpfs\\): unmounted$"
exec 7<&-
unmount "$SCRATCH/late" "a tmpfs mounted after start"
wait_err "^fanotop: no longer watching $SCRATCH/late \\(tmpfs\\): unmounted$"
mnt again
wait_err "^fanotop: watching $SCRATCH/again \\(tmpfs"
echo f >"$SCRATCH/again/f"
recorded "$rec" "$SCRATCH/again/f"
# Unmounted and mounted again at once: the new tmpfs most likely gets the
# device number (and so the filesystem id) of the one before. It is a new
# filesystem all the same, marked anew and told as such.
dev=$(stat -c %d "$SCRATCH/again")
unmount "$SCRATCH/again" "a tmpfs to mount again"
mount -t tmpfs fanotop-again2 "$SCRATCH/again" || fail "cannot mount a tmpfs again"
watched_twice() { [ "$(grep -c "^fanotop: watching $SCRATCH/again (tmpfs" "$SCRATCH/fanotop.err")" -ge 2 ]; }
wait_for watched_twice
[ "$(stat -c %d "$SCRATCH/again")" = "$dev" ] || echo "note: another device number this time" >&2
echo g >"$SCRATCH/again/g"
recorded "$rec" "$SCRATCH/again/g"
fanotop_stop
has "$rec" close_write "$SCRATCH/again/g"
grep -q "^fanotop: no longer watching $SCRATCH/again (tmpfs): unmounted$" "$SCRATCH/fanotop.err" ||
    fail "the first tmpfs is not told gone: $(cat "$SCRATCH/fanotop.err")"
has "$rec" close_write "$SCRATCH/late/c"
# named as the process in the namespace saw it: here, $SCRATCH/ns is empty
has "$rec" close_write "$SCRATCH/ns/d"
has "$rec" close_write "$SCRATCH/lazy/e"
has "$rec" close_write "$SCRATCH/again/f"

# Descriptors: a hard limit below what the filesystems need is one clear
# error; a soft one is raised to the hard one.
expect_status 1 sh -c "ulimit -n 19; exec '$FANOTOP' --record=/dev/null --duration=1"
grep -qE '^fanotop: too few file descriptors: watching [0-9]+ filesystems needs at least [0-9]+, the limit is 19 \(raise it with ulimit -n\)$' \
    "$SCRATCH/err" || fail "no clear error for ulimit -n 19: $(cat "$SCRATCH/err")"
mnt soft
rec="$SCRATCH/soft.csv"
hard=$(ulimit -Hn)
soft=$(ulimit -Sn)
[ "$hard" = unlimited ] || [ "$hard" -ge 200 ] || skip "the hard descriptor limit is only $hard"
ulimit -Sn 19 # fanotop inherits it (a subshell would run the cleanups at its exit)
fanotop_start "$rec"
ulimit -Sn "$soft"
echo g >"$SCRATCH/soft/g"
recorded "$rec" "$SCRATCH/soft/g"
fanotop_stop
has "$rec" close_write "$SCRATCH/soft/g"
exit 0
