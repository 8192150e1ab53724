# Shared helpers for the shell tests. Source it: . "$TESTS_DIR/lib.sh"
set -u

: "${FANOTOP:=$top_builddir/src/fanotop}"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

skip() {
    echo "SKIP: $*" >&2
    exit 77
}

# Root tests watch the real kernel. tests/capture_overflow.sh lowers the
# machine's fanotify queue limit while its own fanotop starts, holding this
# lock exclusively: a root test holds it shared from here to its end, so
# that no fanotop of its own is ever started with that tiny queue
# (capture_common.sh narrows it to each start).
need_root() {
    [ "$(id -u)" = 0 ] || skip "needs root"
    if command -v flock >/dev/null 2>&1; then
        exec 9>>"${TMPDIR:-/tmp}/fanotop-capture-tests.lock"
        flock -s -w 300 9 || fail "the capture tests lock is still held after 300 s"
    fi
}

# A scratch directory removed at exit; tests add their own cleanup with at_exit.
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/fanotop-test.XXXXXX")
# Helpers used as $(mount_tmpfs) run in a subshell, where a trap would fire
# at once: they queue their cleanup in this file, run (first) at exit.
_cleanup_file="$SCRATCH.cleanup"
_cleanups="[ -f '$_cleanup_file' ] && sh '$_cleanup_file'; rm -f '$_cleanup_file'; rm -rf '$SCRATCH'"
at_exit() {
    _cleanups="$*; $_cleanups"
    trap "$_cleanups" EXIT
}
trap "$_cleanups" EXIT

# Mount a scratch tmpfs on "$SCRATCH/tmpfs" (root only) and print its path.
mount_tmpfs() {
    mkdir -p "$SCRATCH/tmpfs"
    mount -t tmpfs -o size=64m fanotop-test "$SCRATCH/tmpfs" || fail "cannot mount tmpfs"
    echo "umount -l '$SCRATCH/tmpfs' 2>/dev/null" >>"$_cleanup_file"
    echo "$SCRATCH/tmpfs"
}

# A scratch directory on the root filesystem (not tmpfs), removed at exit.
rootfs_dir() {
    d=$(mktemp -d /var/tmp/fanotop-test.XXXXXX)
    echo "rm -rf '$d'" >>"$_cleanup_file"
    echo "$d"
}

# wait_for CMD...: until CMD succeeds; fails after 10 s (what is waited for
# happens as soon as fanotop has read the events that tell of it).
wait_for() {
    _n=0
    until "$@"; do
        _n=$((_n + 1))
        [ $_n -lt 200 ] || fail "still not true after 10 s: $*"
        sleep 0.05
    done
}

# expect_status WANT CMD...: run CMD, check its exit status.
expect_status() {
    want=$1
    shift
    "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
    got=$?
    [ "$got" = "$want" ] || fail "'$*' exited $got, want $want; stderr: $(cat "$SCRATCH/err")"
}

# expect_err PATTERN: the last expect_status wrote one line matching PATTERN to stderr.
expect_err() {
    grep -qE -- "$1" "$SCRATCH/err" || fail "stderr '$(cat "$SCRATCH/err")' does not match '$1'"
    [ "$(wc -l <"$SCRATCH/err")" -le 1 ] || fail "more than one line on stderr: $(cat "$SCRATCH/err")"
}
