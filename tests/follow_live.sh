# Following a command (-- COMMAND): only COMMAND and its descendants are
# shown, including a backgrounded grandchild and an exec'd program; the exit
# status passes through; -u runs as another user; a missing command is 127.
. "$TESTS_DIR/lib.sh"
need_root

dir=$(mount_tmpfs)
for f in F1 F2 F3; do echo "$f" >"$dir/$f"; done

# A concurrent reader of the same files that must NOT show up.
(while :; do cat "$dir/F1" "$dir/F2" "$dir/F3" >/dev/null; sleep 0.01; done) &
noise=$!
at_exit "kill $noise 2>/dev/null"

"$FANOTOP" --record="$SCRATCH/out.csv" "$dir" -- \
    sh -c "cat '$dir/F1' >/dev/null; (cat '$dir/F2' >/dev/null &); sleep 0.2; exec cat '$dir/F3'" \
    >"$SCRATCH/stdout" 2>"$SCRATCH/err"
rc=$?
[ $rc = 0 ] || fail "fanotop exited $rc: $(cat "$SCRATCH/err")"
grep -q "F3" "$SCRATCH/stdout" || fail "the command's output did not reach stdout"

"${PYTHON3:-python3}" - "$SCRATCH/out.csv" "$dir" "$noise" <<'PY' || fail "follow assertions failed"
import csv, sys
path, d, noise = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = list(csv.DictReader(open(path, newline="", encoding="utf-8", errors="surrogateescape")))
by_file = {}
for r in rows:
    if int(r["ppid"]) == noise or int(r["pid"]) == noise:
        sys.exit("event from the concurrent reader: %r" % r)
    by_file.setdefault(r["path"], []).append(r)
pids = {}
for f in ("F1", "F2", "F3"):
    evs = by_file.get(d + "/" + f)
    if not evs:
        sys.exit("no event on %s; got %s" % (f, sorted(by_file)))
    if {e["comm"] for e in evs} != {"cat"}:
        sys.exit("%s: comm %s" % (f, {e["comm"] for e in evs}))
    if len({e["pid"] for e in evs}) != 1:
        sys.exit("%s: several pids %s (the concurrent reader leaked in?)" % (f, {e["pid"] for e in evs}))
    pids[f] = evs[0]
# exec keeps the pid: F3's cat is the sh itself, the parent of F1's cat.
if pids["F1"]["ppid"] != pids["F3"]["pid"]:
    sys.exit("F1's parent %s is not the command (F3's pid %s)" % (pids["F1"]["ppid"], pids["F3"]["pid"]))
if len({pids[f]["pid"] for f in pids}) != 3:
    sys.exit("expected three distinct processes: %r" % {f: pids[f]["pid"] for f in pids})
PY

# A grandchild whose parent is gone before any of their events is read, and
# a command that ends at once: fanotop ends when the command does, once
# capture has read everything the command's tree left in the kernel's queue.
i=0
while [ $i -lt 10 ]; do
    "$FANOTOP" --verbose --record="$SCRATCH/quick.csv" "$dir" -- \
        sh -c "echo x >'$dir/Q'; cat '$dir/Q' >/dev/null" 2>"$SCRATCH/err" ||
        fail "fanotop exited $?: $(cat "$SCRATCH/err")"
    # comm: sh, or dash (the file sh runs) when it is gone before its events are read
    grep -qE ",(sh|dash),[^,]*,[^,]*,[^,]*close_write[^,]*,$dir/Q,[^,]*,[^,]*,[^,]*\$" "$SCRATCH/quick.csv" ||
        fail "run $i: no write of the command: $(cat "$SCRATCH/quick.csv" "$SCRATCH/err")"
    grep -qE ",cat,[^,]*,[^,]*,[^,]*access[^,]*,$dir/Q,[^,]*,[^,]*,[^,]*\$" "$SCRATCH/quick.csv" ||
        fail "run $i: no read of its child cat: $(cat "$SCRATCH/quick.csv" "$SCRATCH/err")"
    i=$((i + 1))
done

# Exit status pass-through, and 128+signal.
expect_status 7 "$FANOTOP" --record=/dev/null "$dir" -- sh -c 'exit 7'
expect_status 143 "$FANOTOP" --record=/dev/null "$dir" -- sh -c 'kill -TERM $$'

# -u runs the command as that user, with the record naming it: the shell
# (root until it drops it, just before its exec) and the cat it starts,
# every time.
# nobody must be able to reach the files: open the 0700 scratch directory.
chmod 755 "$SCRATCH" "$dir"
i=0
while [ $i -lt 10 ]; do
    "$FANOTOP" --record="$SCRATCH/nobody.csv" -u nobody "$dir" -- \
        sh -c ": <'$dir/F2'; cat '$dir/F1' >/dev/null; id -u" \
        >"$SCRATCH/stdout" 2>"$SCRATCH/err" || fail "-u nobody: $(cat "$SCRATCH/err")"
    [ "$(cat "$SCRATCH/stdout")" = "$(id -u nobody)" ] || fail "-u nobody ran as $(cat "$SCRATCH/stdout")"
    grep -q ",$(id -u nobody),nobody,cat," "$SCRATCH/nobody.csv" ||
        fail "run $i: record lacks the nobody cat event: $(cat "$SCRATCH/nobody.csv")"
    grep -qE ",$(id -u nobody),nobody,[^,]*,[^,]*,[^,]*,[^,]*,$dir/F2(,[^,]*)*\$" "$SCRATCH/nobody.csv" ||
        fail "run $i: record lacks the nobody shell's event: $(cat "$SCRATCH/nobody.csv")"
    i=$((i + 1))
done

# A command that does not exist.
expect_status 127 "$FANOTOP" --record=/dev/null "$dir" -- /nonexistent/cmd
expect_err "^fanotop: cannot run '/nonexistent/cmd': No such file or directory$"
expect_status 2 "$FANOTOP" --record=/dev/null -u no-such-user-xyz -- true
expect_err "unknown user 'no-such-user-xyz'"
exit 0
