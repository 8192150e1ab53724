# Record mode under signals and pipes: a reader that goes away (SIGPIPE)
# ends fanotop cleanly with its summary; SIGTERM, SIGINT and SIGHUP in the
# middle of a flood leave a complete record (every line whole, the CSV
# parses) and the summary; a new record file is mode 0600 and, under sudo,
# belongs to the invoking user; an existing one is replaced only when it is
# that user's, and refused (untouched, status 2) when it is anyone else's.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"

dir=$(mount_tmpfs)
echo data >"$dir/f"
# A steady load on the watched tmpfs, until the test ends.
(while :; do "$FSOPS" flood "$dir" 2000 >/dev/null 2>&1 || exit; done) &
load=$!
at_exit "kill $load 2>/dev/null"

# The reader closes after two lines.
"$FANOTOP" --record=- "$dir" 2>"$SCRATCH/pipe.err" | head -n 2 >"$SCRATCH/pipe.out"
rc=$(cat "$SCRATCH/pipe.err" | grep -c '^fanotop: [0-9]* events, [0-9]* kernel overflows, [0-9]* ring losses$')
[ "$rc" = 1 ] || fail "no summary after the pipe closed: $(cat "$SCRATCH/pipe.err")"
[ "$(wc -l <"$SCRATCH/pipe.err")" = 1 ] || fail "more than the summary on stderr: $(cat "$SCRATCH/pipe.err")"
head -n 1 "$SCRATCH/pipe.out" | grep -qx 'time,pid,tid,ppid,uid,user,comm,exe,unit,event,path,start,container,cpath' ||
    fail "the pipe got no header"

for sig in TERM INT HUP; do
    out="$SCRATCH/rec-$sig.csv"
    fanotop_start "$out" "$dir"
    # Stop it while events pour in: once the file has grown past 64 KiB.
    n=0
    while [ "$(stat -c %s "$out")" -lt 65536 ]; do
        n=$((n + 1))
        [ $n -lt 200 ] || fail "SIG$sig: no events recorded"
        sleep 0.05
    done
    kill -$sig "$FPID"
    wait "$FPID"
    rc=$?
    [ $rc = 0 ] || fail "SIG$sig: fanotop exited $rc: $(cat "$SCRATCH/fanotop.err")"
    grep -qE '^fanotop: [0-9]+ events, ' "$SCRATCH/fanotop.err" || fail "SIG$sig: no summary"
    [ "$(tail -c 1 "$out" | od -An -c | tr -d ' ')" = '\n' ] || fail "SIG$sig: last line cut"
    "$PY" - "$out" <<'PY' || fail "SIG$sig: the record does not parse"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape")))
assert rows[0][0] == "time" and len(rows) > 100, len(rows)
bad = [r for r in rows if len(r) != 14]
assert not bad, bad[:3]
PY
done

# Ownership and mode of what fanotop writes.
rec="$SCRATCH/owned.csv"
SUDO_UID=$(id -u nobody) SUDO_GID=$(id -g nobody) "$FANOTOP" --record="$rec" --duration=0.3 "$dir" \
    2>/dev/null || fail "--record under sudo"
[ "$(stat -c '%a %U' "$rec")" = "600 nobody" ] || fail "record file is $(stat -c '%a %U' "$rec")"
umask 022
# Someone else's file (root's, with sudo's user nobody) is refused whole.
echo old >"$SCRATCH/theirs.csv"
expect_status 2 env SUDO_UID="$(id -u nobody)" "$FANOTOP" --record="$SCRATCH/theirs.csv" \
    --duration=0.3 "$dir"
expect_err "^fanotop: cannot write .*/theirs\.csv: it belongs to another user \(uid 0\)$"
[ "$(stat -c '%a %U' "$SCRATCH/theirs.csv")" = "644 root" ] ||
    fail "another user's file changed hands: $(stat -c '%a %U' "$SCRATCH/theirs.csv")"
[ "$(cat "$SCRATCH/theirs.csv")" = old ] || fail "another user's file was written"
# The invoking user's own file is replaced by a new one (its other links
# untouched), theirs, mode 0600.
echo old >"$SCRATCH/mine.csv"
chown nobody "$SCRATCH/mine.csv"
ln "$SCRATCH/mine.csv" "$SCRATCH/mine-link"
SUDO_UID=$(id -u nobody) "$FANOTOP" --record="$SCRATCH/mine.csv" --duration=0.3 "$dir" 2>/dev/null ||
    fail "--record into the user's existing file"
[ "$(stat -c '%a %U' "$SCRATCH/mine.csv")" = "600 nobody" ] ||
    fail "the replaced file is $(stat -c '%a %U' "$SCRATCH/mine.csv")"
head -n 1 "$SCRATCH/mine.csv" | grep -q '^time,pid,' || fail "the replaced file has no record"
[ "$(cat "$SCRATCH/mine-link")" = old ] || fail "the old file was written into, not replaced"
exit 0
