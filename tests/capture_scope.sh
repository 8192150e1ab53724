# Scope of watching: PATH is recursive and only PATH; --mount and
# --filesystem widen it; no PATH watches every real filesystem and --verbose
# names them; -e limits the types while exec events still name processes.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"

tmp=$(mount_tmpfs)
root=$(rootfs_dir)
mkdir -p "$tmp/a/deep/er" "$tmp/b" "$root/r"
for f in "$tmp/a/deep/er/f" "$tmp/b/f" "$root/r/f"; do echo x >"$f"; done

has() { grep -qF "$2" "$1" || fail "$3: no event on $2 in $(cat "$1")"; }
hasnt() { ! grep -qF "$2" "$1" || fail "$3: unexpected event on $2"; }
reads() { for f in "$@"; do "$FSOPS" read "$f"; done; }

rec="$SCRATCH/path.csv"
fanotop_start "$rec" "$tmp/a"
reads "$tmp/a/deep/er/f" "$tmp/b/f" "$root/r/f"
fanotop_stop
has "$rec" "$tmp/a/deep/er/f" "PATH"
hasnt "$rec" "$tmp/b/f" "PATH"
hasnt "$rec" "$root/r/f" "PATH"

for scope in --mount --filesystem; do
    rec="$SCRATCH/scope$scope.csv"
    fanotop_start "$rec" "$scope" "$tmp/a"
    reads "$tmp/a/deep/er/f" "$tmp/b/f" "$root/r/f"
    # the root fs is marked too, to name processes by their execs: nothing
    # else of it shows, renames included
    mv "$root/r/f" "$root/r/f2" && mv "$root/r/f2" "$root/r/f"
    fanotop_stop
    has "$rec" "$tmp/a/deep/er/f" "$scope"
    has "$rec" "$tmp/b/f" "$scope"
    hasnt "$rec" "$root/r/f" "$scope"
    hasnt "$rec" "$root/r/f2" "$scope"
done

# A filesystem mounted below PATH is part of "everything under PATH".
mkdir -p "$root/r/sub"
mount -t tmpfs fanotop-sub "$root/r/sub" || fail "cannot mount a tmpfs below PATH"
at_exit "umount -l '$root/r/sub' 2>/dev/null"
echo x >"$root/r/sub/g"
rec="$SCRATCH/nested.csv"
fanotop_start "$rec" "$root/r"
reads "$root/r/sub/g" "$root/r/f"
fanotop_stop
has "$rec" "$root/r/sub/g" "a mount below PATH"
has "$rec" "$root/r/f" "a mount below PATH"
umount "$root/r/sub"

# No PATH: every real filesystem; --verbose says which, pseudo ones are not.
rec="$SCRATCH/all.csv"
fanotop_start "$rec" --verbose
reads "$tmp/b/f" "$root/r/f"
fanotop_stop
has "$rec" "$tmp/b/f" "no PATH"
has "$rec" "$root/r/f" "no PATH"
grep -q "^fanotop: watching $tmp (tmpfs" "$SCRATCH/fanotop.err" ||
    fail "--verbose does not name $tmp: $(cat "$SCRATCH/fanotop.err")"
! grep -qE "^fanotop: watching /proc |\((proc|sysfs|cgroup2?|devpts)," "$SCRATCH/fanotop.err" ||
    fail "a pseudo filesystem is watched: $(cat "$SCRATCH/fanotop.err")"

# -e open: only opens, and a short-lived program exec'd from outside PATH is
# still named by its exec (an internal mark on every filesystem).
cp /bin/cat "$root/renamed-cat"
rec="$SCRATCH/types.csv"
fanotop_start "$rec" -e open "$tmp/a"
"$root/renamed-cat" "$tmp/a/deep/er/f" >/dev/null
fanotop_stop
"$PY" - "$rec" "$tmp/a/deep/er/f" <<'PY' || fail "-e open"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline="")) if r["event"] or r["path"]]
if not rows or any(r["event"] != "open" for r in rows):  # process lines left out
    sys.exit("-e open recorded %r" % sorted({r["event"] for r in rows}))
mine = [r for r in rows if r["path"] == sys.argv[2]]
if not mine or {r["comm"] for r in mine} != {"renamed-cat"}:
    sys.exit("open of %s named %r, want renamed-cat" % (sys.argv[2], [r["comm"] for r in mine]))
PY
exit 0
