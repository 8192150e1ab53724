# A file made with O_TMPFILE has no name until linkat gives it one: its
# events before name it "#INO (deleted)" in its directory, and those after
# (through the same descriptor) by the name it was given. On a scratch tmpfs
# and on a directory of the root filesystem.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/path_common.sh"

tmpfile() { # tmpfile DIR
    d=$1/t
    mkdir -p "$d"
    rec="$SCRATCH/tmpfile.csv"
    fanotop_start "$rec" "$d"
    "$PATHOPS" tmpfile "$d" linked >"$SCRATCH/tmpfile.out" || fail "pathops tmpfile failed"
    fanotop_stop
    ino=$(sed -n 's/^ino //p' "$SCRATCH/tmpfile.out")
    "$PY" "$TESTS_DIR/path_check.py" has "$rec" "$d/#$ino (deleted)" modify ||
        fail "no write before the link in $d: $(cat "$rec")"
    "$PY" "$TESTS_DIR/path_check.py" has "$rec" "$d/linked" create,modify,close_write ||
        fail "the write after the link is not named by the link in $d: $(cat "$rec")"
    "$PY" - "$rec" "$d" "$ino" <<'PY' || fail "a write after the link named #$ino in $d"
import csv, sys
rec, d, ino = sys.argv[1:]
rows = list(csv.DictReader(open(rec, newline="")))
link = [i for i, r in enumerate(rows) if r["path"] == d + "/linked" and "create" in r["event"]]
late = [r for r in rows[link[0]:] if r["path"].startswith(d + "/#")]
if late:
    sys.exit("after the link: %r" % late)
PY
}

tmpfile "$(mount_tmpfs)"
tmpfile "$(rootfs_dir)"
exit 0
