# Export from the UI, in tmux: E offers fanotop-VIEW-YYYYmmdd-HHMMSS.csv in
# the current directory, writes every filtered row in the sort order and
# says "exported N rows to PATH"; an unwritable path shows the error and the
# UI keeps running; Esc cancels; e exports the raw events log, Tab switches
# CSV / JSON Lines. Python's csv and json modules read the files back.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

fixture="$FIXTURES/ui_basic.csv"
py=${PYTHON3:-python3}
S=$SCRATCH

ui_start -- --replay="$fixture" --no-config
wait_for "replay finished"
wait_for "Rows: 9/9"

# The default name, in the current directory (the test's scratch directory).
keys E
wait_for "^Export view to: fanotop-paths-[0-9]{8}-[0-9]{6}\.csv$"
name=$(sed -n 's/^Export view to: //p' "$S/pane")
keys Enter
wait_for "^exported 9 rows to $name"
[ -f "$S/$name" ] || fail "$S/$name not written"
"$py" - "$S/$name" <<'EOF' || fail "the view export is not what the screen shows"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0][:3] == ["path", "events", "open"], rows[0]
assert len(rows) == 10, len(rows)
assert rows[1][:2] == ["/var/log/nginx/access.log", "8"], rows[1]
assert rows[2][:2] == ["/etc/hosts", "4"], rows[2]
EOF

# Filter and sort apply; the file name is editable.
keys '\'
type_text "^/tmp/"
keys Enter
wait_for "Rows: 4/9"
keys F6 Home Enter
wait_for "Sort: path ▲"
keys E C-u
type_text "$S/tmp-rows.csv"
keys Enter
wait_for "^exported 4 rows to $S/tmp-rows.csv"
"$py" - "$S/tmp-rows.csv" <<'EOF' || fail "the filtered export is wrong"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
paths = [r[0] for r in rows[1:]]
assert paths == sorted(paths), paths
assert len(paths) == 4, paths
assert "/tmp/two\nlines" in paths, paths
EOF

# Errors go to the status line; nothing is left behind; the UI goes on.
keys E C-u
type_text "/nonexistent-dir/x.csv"
keys Enter
wait_for "^cannot write /nonexistent-dir/x.csv: No such file or directory"
has "View: paths"
if [ "$(id -u)" != 0 ]; then
    mkdir "$S/ro" && chmod 500 "$S/ro"
    keys E C-u
    type_text "$S/ro/x.csv"
    keys Enter
    wait_for "^cannot write $S/ro/x.csv: Permission denied"
    [ -z "$(ls -A "$S/ro")" ] || fail "a file was left in $S/ro"
fi

# Esc cancels.
before=$(ls "$S" | wc -l)
keys E
wait_for "^Export view to:"
keys Escape
wait_for "^export cancelled"
[ "$(ls "$S" | wc -l)" = "$before" ] || fail "Esc still wrote a file"

# e: the raw events of the filter, as JSON Lines after Tab, then as CSV.
keys e
wait_for "^Export events as CSV \(Tab: JSONL\) to: fanotop-events-[0-9]{8}-[0-9]{6}\.csv$"
keys Tab
wait_for "^Export events as JSONL \(Tab: CSV\) to: fanotop-events-[0-9]{8}-[0-9]{6}\.jsonl$"
keys C-u
type_text "$S/ev.jsonl"
keys Enter
wait_for "^exported 4 events to $S/ev.jsonl"
keys e C-u
type_text "$S/ev.csv"
keys Enter
wait_for "^exported 4 events to $S/ev.csv"
"$py" - "$S/ev.jsonl" "$S/ev.csv" <<'EOF' || fail "the events exports are wrong"
import csv, json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8", errors="surrogateescape")]
assert len(lines) == 4, lines
assert all(l["path"].startswith("/tmp/") for l in lines), lines
assert any(l["path"] == "/tmp/evil\x1b[31mred\x07name" for l in lines), lines
rows = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
assert ",".join(rows[0]) == "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path,start,container,cpath", rows[0]
assert [r[10] for r in rows[1:]] == [l["path"] for l in lines]
EOF
keys q
wait_exit 0
