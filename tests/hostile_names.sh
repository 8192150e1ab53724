# Hostile names: 260-odd file names and process names (every control byte,
# ESC/CSI/OSC sequences that would set the window title or the clipboard,
# lone CR and LF, invalid and overlong UTF-8, bidi overrides, 255-byte
# components and a 4000-byte path, leading - = + @, quotes and commas), made
# live by tests/hostile_gen on a scratch tmpfs. Each is recorded byte-exact
# in CSV and JSONL (read back with Python's csv and json), shown escaped in
# every view of the UI (no raw control byte reaches the pane, the pane title
# and tmux's clipboard stay untouched), exported as a view snapshot in its
# documented defused form, and printed safely by batch mode.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/ui_lib.sh"
GEN=$top_builddir/tests/hostile_gen
CHECK="$PY $TESTS_DIR/hostile_check.py"
[ -x "$GEN" ] || fail "tests/hostile_gen not built"

dir=$(mount_tmpfs)
man="$SCRATCH/manifest"
fanotop_start "$SCRATCH/rec.csv" "$dir"
csv_pid=$FPID
fanotop_start "$SCRATCH/rec.jsonl" --format=jsonl "$dir"
jsonl_pid=$FPID

# The children stay alive (their names readable in /proc) until released.
mkfifo "$SCRATCH/release"
"$GEN" "$dir" "$man" <"$SCRATCH/release" >"$SCRATCH/gen.out" 2>"$SCRATCH/gen.err" &
gen=$!
exec 3>"$SCRATCH/release"
n=0
until grep -q '^ready' "$SCRATCH/gen.out"; do
    kill -0 $gen 2>/dev/null || fail "hostile_gen: $(cat "$SCRATCH/gen.err")"
    n=$((n + 1))
    [ $n -lt 600 ] || fail "hostile_gen never got ready"
    sleep 0.1
done
count=$(awk '/^ready/ {print $2}' "$SCRATCH/gen.out")
[ "$count" -ge 200 ] || fail "only $count hostile names"
# Every child's read of its file is recorded before any child goes away.
n=0
until $CHECK record "$man" "$SCRATCH/rec.csv" "$SCRATCH/rec.jsonl" 2>/dev/null; do
    n=$((n + 1))
    [ $n -lt 100 ] || break
    sleep 0.2
done
echo go >&3
exec 3>&-
wait $gen || fail "hostile_gen failed: $(cat "$SCRATCH/gen.err")"
FPID=$csv_pid fanotop_stop
FPID=$jsonl_pid fanotop_stop
$CHECK record "$man" "$SCRATCH/rec.csv" "$SCRATCH/rec.jsonl" ||
    fail "names or comms not recorded byte-exact"

# Batch mode: tables hold no raw control bytes, CSV snapshots the defused form.
for v in paths processes events; do
    "$FANOTOP" --replay="$SCRATCH/rec.csv" -b -n1 -v $v >"$SCRATCH/batch-$v.txt" 2>"$SCRATCH/err" ||
        fail "batch -v $v: $(cat "$SCRATCH/err")"
    $CHECK clean "$SCRATCH/batch-$v.txt" '\x1b' || fail "batch table of $v is not safe"
done
"$FANOTOP" --replay="$SCRATCH/rec.csv" -b -n1 --format=csv >"$SCRATCH/batch-paths.csv" ||
    fail "batch csv"
$CHECK snapshot "$man" "$SCRATCH/batch-paths.csv" path || fail "batch CSV paths"
"$FANOTOP" --replay="$SCRATCH/rec.csv" -b -n1 -v processes --format=csv >"$SCRATCH/batch-procs.csv" ||
    fail "batch csv processes"
$CHECK snapshot "$man" "$SCRATCH/batch-procs.csv" comm || fail "batch CSV comms"

# The UI: every view, page by page, and a details pane.
ui_start -- --replay="$SCRATCH/rec.csv" --no-config
T set -g set-clipboard on # let OSC 52 reach tmux's buffers if it ever leaks out
wait_for "replay finished"
title=$(T display -p '#{pane_title}')
clean_pane() { # clean_pane WHAT: the pane as it is now holds nothing raw
    T capture-pane -p >"$SCRATCH/pane.raw"
    $CHECK clean "$SCRATCH/pane.raw" || { cat "$SCRATCH/pane.raw" >&2; fail "$1: raw bytes on screen"; }
    [ "$(T display -p '#{pane_title}')" = "$title" ] || fail "$1: the pane title changed"
    [ -z "$(T list-buffers)" ] || fail "$1: a paste buffer was set: $(T list-buffers)"
}
seen_escape=no
for v in 1:paths 2:processes 3:types 4:units 5:events 6:tree; do
    keys "${v%%:*}"
    wait_for "View: ${v#*:} "
    [ "${v#*:}" = tree ] && keys '*'
    keys Home
    prev=
    for _ in $(seq 40); do # page down until the screen stops changing
        clean_pane "view ${v#*:}"
        grep -qF '\x1b' "$SCRATCH/pane.raw" && seen_escape=yes
        cur=$(cksum <"$SCRATCH/pane.raw")
        [ "$cur" = "$prev" ] && break
        prev=$cur
        keys NPage
        sleep 0.1
    done
done
[ $seen_escape = yes ] || fail "no \\x1b escape shown in any view"
# Details panes: a path's title is its name, a process's its comm.
for v in 1:paths:path 2:processes:process; do
    keys "${v%%:*}" Home
    view=${v#*:}
    view=${view%:*}
    wait_for "View: $view "
    for _ in 1 2 3 4 5; do
        keys Enter
        wait_for "View: ${v##*:} details"
        clean_pane "${v##*:} details"
        keys Escape Down Down Down
        wait_for "View: $view "
    done
done

# E exports the processes view: comm in the defused form, readable by csv.
keys 2
wait_for "View: processes "
keys E
wait_for "^Export"
keys Enter
wait_for "exported [0-9]+ rows to "
snap=$(ls "$SCRATCH"/fanotop-processes-*.csv)
$CHECK snapshot "$man" "$snap" comm || fail "exported processes snapshot"
keys 1
wait_for "View: paths "
keys E
wait_for "^Export"
keys Enter
wait_for "exported [0-9]+ rows to "
$CHECK snapshot "$man" "$(ls "$SCRATCH"/fanotop-paths-*.csv)" path || fail "exported paths snapshot"
keys q
wait_exit 0
exit 0
