# The process tree and the processes' lineage in the UI, on a recording of
# a known tree: an ssh session's bash runs a shell that starts make, which
# starts three compilers and a sed rewriting /etc; a loop of twenty
# short-lived cats; a later process that took a finished compiler's pid.
# F5 from the processes view and back, Tab and 7, nesting with own and
# subtree counts, + - * fold, the filter keeps ancestors dimmed, g groups
# the cats into one row, a process's details name its parent, the setup
# screen adds ppid and parent, and F9 says that a replay has no processes
# to signal. Batch mode prints the same tree; a recording of the first
# format (no start, no process lines) still nests what it can.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

fixture="$FIXTURES/proctree.csv"

ui_start -- --replay="$fixture" --no-config
wait_for "replay finished"
keys 2
wait_for "View: processes "
keys F5
wait_for "View: proctree "
has "F5List"
# Nested by pid under their parents; sshd and bash only named the writers'
# ancestors (process lines) and have no event of their own.
wait_lines "^▾ sshd +800 root +0 +33 +28 " \
    "^  ▾ bash +900 alice +0 +33 +28 " \
    "^    ▾ sh +1100 alice +1 +11 +6 " \
    "^      ▾ make +1200 alice +1 +10 +5 " \
    "^          cc1 +1301 alice +2 +2 +1 " \
    "^          sed +1400 alice +3 +3 +1 " \
    "^    ▾ sh +1500 alice +1 +21 +21 " \
    "^        cat +1600 alice +1 +1 +1 "
# The process that took pid 1301 later is bash's child, not make's.
wait_for "^      rm +1301 alice +1 +1 +1 "
has "Rows: 30/30"
# F5 goes back; 7 and Tab reach the tree too (containers, on 8, after it).
keys F5
wait_for "View: processes "
keys 7
wait_for "View: proctree "
keys Tab
wait_for "View: containers "
keys Tab
wait_for "View: paths "
keys BTab
wait_for "View: containers "
keys BTab
wait_for "View: proctree "

# Fold: - closes make, + opens it, * opens all then closes all.
keys Home Down Down Down
keys -
wait_for "^      ▸ make +1200 "
wait_gone "^ +sed +1400 "
keys +
wait_for "^          sed +1400 "
keys '*'
wait_for "^▾ sshd "
keys '*'
wait_for "^▸ sshd "
wait_gone "bash"
keys '*'
wait_for "^          sed +1400 "

# The filter keeps the matching process and its ancestors, dimmed.
keys '\'
type_text 'path:^/etc/app'
keys Enter
wait_for "Rows: 5/30"
wait_lines "^▾ sshd +800 root +0 +2 +1 " "^      ▾ make +1200 alice +0 +2 +1 " \
    "^          sed +1400 alice +2 +2 +1 "
keys Home # the cursor's row (sshd) has colours of its own
T capture-pane -p -e >"$SCRATCH/pane-e"
# The dim attribute (SGR 2) in force where each name is drawn.
"${PYTHON3:-python3}" - "$SCRATCH/pane-e" <<'EOF' || fail "dimmed rows are wrong"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
dim, at = False, {}
for m in re.finditer(r"\x1b\[([0-9;]*)m|([^\x1b]+)", text):
    if m.group(1) is not None:
        for c in (m.group(1) or "0").split(";"):
            dim = True if c == "2" else False if c in ("0", "22") else dim
    else:
        for name in ("bash", "make", "sed"):
            if re.search(r"\b%s\b" % name, m.group(2)) and name not in at:
                at[name] = dim
assert at == {"bash": True, "make": True, "sed": False}, at
EOF

# A process's details: its parent.
keys End Enter
wait_for "^Process: pid 1400  ppid 1200 \(make\)  user alice  started 2026-11-22 "
keys Escape
# No signals in a replay, and the status line says so.
keys F9
wait_for "^no signals in a replay"
keys k
wait_for "^no signals in a replay"
keys '\' C-u Enter
wait_for "Rows: 30/30"

# g folds the processes view: the loop's twenty cats in one row.
keys 2
wait_for "View: processes "
keys g
wait_for "View: processes by comm "
wait_for "^cat +20 +20 +1 "
wait_for "^processes grouped by comm"
keys Enter
wait_for "^Comm: cat"
wait_for "Rows: 20/20"
keys Escape g
wait_for "View: processes by exe "
keys g g
wait_for "View: processes  "
wait_for "^processes not grouped"

# The setup screen adds ppid and parent to the processes view.
keys F2
wait_for "\[ \] ppid"
keys Down Down Down Down Down Down Down Down Down Down Down Down Down ' '
wait_for "\[x\] ppid"
keys Down ' '
wait_for "\[x\] parent"
keys Escape
wait_for " ppid parent"
wait_for "^ +1400 sed .* 1200 make"
keys q
wait_exit 0

# Batch mode prints the same tree; --group folds.
"$FANOTOP" --replay="$fixture" -b -n 1 -v proctree --format=csv >"$SCRATCH/tree.csv" ||
    fail "batch proctree"
grep -qx 'comm,pid,user,events,subtree,procs,files,last,cmdline' "$SCRATCH/tree.csv" ||
    fail "proctree columns: $(head -n 1 "$SCRATCH/tree.csv")"
[ "$(cut -d, -f1,2 "$SCRATCH/tree.csv" | sed -n '2,6p' | tr '\n' ' ')" = \
    "sshd,800 bash,900 sh,1100 make,1200 cc1,1301 " ] || fail "batch tree order: $(cat "$SCRATCH/tree.csv")"
"$FANOTOP" --replay="$fixture" -b -n 1 -v processes --group=comm --format=csv >"$SCRATCH/g.csv" ||
    fail "batch --group"
grep -q '^cat,20,20,1,' "$SCRATCH/g.csv" || fail "--group=comm: $(cat "$SCRATCH/g.csv")"
expect_status 2 "$FANOTOP" --replay="$fixture" -b --group=pid
expect_err "unknown --group 'pid'"

# The first format: no start times, no process lines. What ppid says nests.
"$FANOTOP" --replay="$FIXTURES/proctree_v1.csv" -b -n 1 -v proctree >"$SCRATCH/v1.txt" ||
    fail "batch proctree of the first format"
grep -qE '^  make +1200 ' "$SCRATCH/v1.txt" || fail "first format: $(cat "$SCRATCH/v1.txt")"
grep -qE '^    sed +1400 ' "$SCRATCH/v1.txt" || fail "first format: $(cat "$SCRATCH/v1.txt")"
exit 0
