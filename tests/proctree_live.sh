# The process tree, live, as root: a followed shell that starts a make-like
# shell, which starts a reader and a sed rewriting a file, then a loop of
# short-lived cats. Batch mode prints the tree live; a recording of the
# same command, replayed, nests the same processes (pids and the counts of
# merged events differ between runs). A record names the ancestors of a
# writer that touched nothing (process lines) and the start of each process.
# On the screen, the process tree of a run and the replay of that run's
# events export are the same rows, pids and counts.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/ui_lib.sh"

dir=$(mount_tmpfs)
need_live_capture "$dir"
echo a >"$dir/conf"
echo b >"$dir/data"

# The inner shell touches nothing watched: only its children do.
work="sh -c 'cat $dir/data >/dev/null; sed -i s/a/x/ $dir/conf; sleep 0.2'; \
for i in 1 2 3 4 5; do cat $dir/data >/dev/null; done; sleep 0.2; cat $dir/conf >/dev/null"

"$FANOTOP" --batch -v proctree -d 3600 "$dir" -- sh -c "$work" >"$SCRATCH/live.txt" \
    2>"$SCRATCH/live.err" || fail "live batch: $(cat "$SCRATCH/live.err")"
"$FANOTOP" --record="$SCRATCH/rec.csv" "$dir" -- sh -c "$work" 2>"$SCRATCH/rec.err" ||
    fail "record: $(cat "$SCRATCH/rec.err")"
"$FANOTOP" --replay="$SCRATCH/rec.csv" --batch -v proctree >"$SCRATCH/replay.txt" \
    2>"$SCRATCH/replay.err" || fail "replay: $(cat "$SCRATCH/replay.err")"

"${PYTHON3:-python3}" - "$SCRATCH/live.txt" "$SCRATCH/replay.txt" "$SCRATCH/rec.csv" "$dir" <<'EOF' ||
import csv, sys

def tree(path):
    """(depth, comm, user, events, subtree, procs, files) of each row."""
    lines = open(path, encoding="utf-8").read().split("\n")
    head = next(i for i, l in enumerate(lines) if l.startswith("comm "))
    rows = []
    for l in lines[head + 1:]:
        if not l.strip():
            continue
        depth = (len(l) - len(l.lstrip(" "))) // 2
        t = l.split()
        rows.append((depth, t[0], t[2], t[3], t[4], t[5], t[6]))
    return rows

live, replay = tree(sys.argv[1]), tree(sys.argv[2])
shape = [(d, c) for d, c, *_ in live]
# sh (the command) > sh > cat, sed; then five cats and a last cat.
want = [(0, "sh"), (1, "sh"), (2, "cat"), (2, "sed")] + [(1, "cat")] * 6
assert shape == want, "live tree %r" % live
inner = live[1]
assert inner[3] == "0" and inner[5] == "2", "the inner shell: %r" % (inner,)
assert live[0][4] == str(sum(int(r[3]) for r in live)), "subtree total: %r" % live
# The kernel merges events by timing: compare what does not depend on it.
same = lambda rows: [(d, c, u, p) for d, c, u, e, s, p, f in rows]
assert same(replay) == same(live), "replay %r != live %r" % (replay, live)

rows = list(csv.DictReader(open(sys.argv[3], newline="", encoding="utf-8")))
events = [r for r in rows if r["event"]]
procs = [r for r in rows if not r["event"] and not r["path"]]
# The shells touched nothing: a process line names each, once, before its
# children's events, oldest first. Start times are ISO 8601 (empty for a
# process gone before it could be read: the command itself runs throughout).
assert [r["comm"] for r in procs] == ["sh", "sh"], procs
assert procs[1]["ppid"] == procs[0]["pid"], procs
for p in procs:
    first_kid = next(i for i, r in enumerate(rows) if r["ppid"] == p["pid"] and r["event"])
    assert rows.index(p) < first_kid, (p, first_kid)
import re
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
assert all(iso.match(r["start"]) for r in rows if r["start"]), rows
assert procs[0]["start"], procs
EOF
    fail "the live and the replayed tree differ"

# One run on the screen: its process tree, and the replay of its events.
ui_start -- --no-config --delay=0.2 -v proctree "$dir" -- sh -c "$work"
wait_for "sh exited with status 0"
wait_for "Rows: 10/10"
keys E C-u
type_text "$SCRATCH/screen.csv"
keys Enter
wait_for "^exported 10 rows to"
keys e C-u
type_text "$SCRATCH/events.csv"
keys Enter
wait_for "^exported [0-9]+ events to"
keys q
wait_exit 0
"$FANOTOP" --replay="$SCRATCH/events.csv" --batch -v proctree --format=csv >"$SCRATCH/again.csv" ||
    fail "replay of the events export"
"${PYTHON3:-python3}" - "$SCRATCH/screen.csv" "$SCRATCH/again.csv" <<'EOF' ||
import csv, sys
cols = ["comm", "pid", "user", "events", "subtree", "procs", "files", "last"]
rows = lambda p: [[r[c] for c in cols] for r in csv.DictReader(open(p, newline="", encoding="utf-8"))]
screen, again = rows(sys.argv[1]), rows(sys.argv[2])
assert len(screen) == 10 and screen == again, "screen %r\nreplay %r" % (screen, again)
EOF
    fail "the replay of a run's events is not the tree the screen showed"
exit 0
