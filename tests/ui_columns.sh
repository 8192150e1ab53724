# No event type is hidden from a row, in tmux on a replay of create,
# delete, move, attrib, exec and merged rows: every type that occurs has a
# column or counts in "other", so for single-type events the visible
# columns add up to the events column, at 160 columns and at 80x24; a type
# no row has gets no column; a sort by a column that did not fit shows it;
# names sort naturally (page2 before page10); at 80x24 the events view
# keeps the event, the path and the process, and the header its counters
# and the key bar F10 Quit.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

rec="$SCRATCH/types.csv"
{
    echo "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path"
    ev() { # ev TYPE PATH [COUNT]
        i=0
        while [ "$i" -lt "${3:-1}" ]; do
            echo "2026-11-22T10:00:0$i.000000Z,500,500,1,0,root,tool,/usr/bin/tool,,$1,$2"
            i=$((i + 1))
        done
    }
    ev open /srv/a.txt 3
    ev access /srv/a.txt 2
    ev close_nowrite /srv/a.txt
    ev create /srv/new
    ev modify /srv/new 2
    ev close_write /srv/new
    ev attrib /srv/new
    ev delete /srv/gone
    ev moved_from /srv/old
    ev moved_to /srv/renamed
    ev open_exec /srv/bin/tool 2
    ev delete_self /srv/dir
    ev move_self /srv/dir
    ev 'open|access|close_nowrite' /srv/merged 2
    ev open /srv/page10
    ev open /srv/page2 3
    ev open /srv/page1 4
} >"$rec"

# Every row but the merged one: the type columns and "other" add up to
# "events" (path events TYPES... [other] procs last rate).
check_sums() {
    screen >/dev/null
    grep -q '^path.* other ' "$SCRATCH/pane" || { _show; fail "no other column"; }
    sed -n '4,$p' "$SCRATCH/pane" | grep '^/srv/' >"$SCRATCH/rows"
    [ "$(wc -l <"$SCRATCH/rows")" = 11 ] || { _show; fail "rows: $(wc -l <"$SCRATCH/rows")"; }
    awk '{ s = 0; for (i = 3; i <= NF - 3; i++) s += $i
           want = $1 == "/srv/merged" ? 3 * $2 : $2
           if (s != want) { print "row " $1 ": types add up to " s ", events " $2; bad = 1 } }
         END { exit bad }' "$SCRATCH/rows" || { _show; fail "the columns hide events"; }
}

ui_start -- --replay="$rec" --no-config
wait_for "replay finished"
wait_for "Rows: 11/11"
check_sums
# all thirteen types occur, more than 160 columns hold
has "^path +▼events +open +access +modify +close_write +close_nowrite "
lacks "^path .* move_self "

# A sort by a column that does not fit shows it.
keys F6
wait_for "^ Sort by"
keys End Up Up Up Enter # move_self is the last type column, before procs last rate
wait_for "Sort: move_self ▼"
wait_for "^path .* ▼move_self "
wait_field 4 1 /srv/dir
check_sums

# Names sort naturally: page1, page2, page10.
keys F6 Home Enter
wait_for "Sort: path ▲"
wait_lines "^/srv/page1 " "^/srv/page2 " "^/srv/page10 "
p1=$(grep -n '^/srv/page1 ' "$SCRATCH/pane" | cut -d: -f1)
p2=$(grep -n '^/srv/page2 ' "$SCRATCH/pane" | cut -d: -f1)
p10=$(grep -n '^/srv/page10 ' "$SCRATCH/pane" | cut -d: -f1)
[ "$p1" -lt "$p2" ] && [ "$p2" -lt "$p10" ] || fail "not natural order: $p1 $p2 $p10"

# 80x24: the per-type columns give way to "other"; the sums hold.
T resize-window -x 80 -y 24
wait_for "^path▲ +events +open +other +procs +last +rate *$"
check_sums
keys q
wait_exit 0

# The events view at 80x24: the event, the path and the process stay; tid
# and an all "-" unit column go. The header keeps every counter (a third
# line rather than a cut), the key bar F10 Quit.
ui_start -- --replay="$rec" --no-config --view=events
wait_for "replay finished"
T resize-window -x 80 -y 24
wait_for "^ +▲time +pid comm +event +path *$"
[ "$(line 4)" = "       ▲time     pid comm            event          path" ] ||
    fail "events view columns at 80x24: '$(line 4)'"
# following the newest event: it is on the last line of the table
[ "$(line 23)" = "10:00:03.000     500 tool            open           /srv/page1" ] ||
    fail "newest event at 80x24: '$(line 23)'"
[ "$(line 1 | sed 's/ *$//')" = " Events: 28  Rate: 1.0/s  Rows: 28/28  Overflows: 0  Ring losses: 0  Evicted: 0" ] ||
    fail "header line 1: '$(line 1)'"
[ "$(line 2 | sed 's/ *$//')" = " Folded: 0  View: events  Sort: time ▲  Replay: 2026-11-22 10:00:03 (100%)" ] ||
    fail "header line 2: '$(line 2)'"
[ "$(line 3 | sed 's/ *$//')" = " replay finished" ] || fail "header line 3: '$(line 3)'"
has "F1Help +F2Setup.*F10Quit *$"
[ "$(LC_ALL=C.UTF-8 wc -L <"$SCRATCH/pane")" -le 80 ] || fail "lines wider than 80"
# the merged record is named in full in its details (Enter)
keys /
type_text "merged"
keys Enter Enter
wait_for "View: event details"
has "^event +open\|access\|close_nowrite *$"
keys q
wait_exit 0
