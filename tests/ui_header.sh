# The header tells the truth, in tmux on replays: beside the machine's
# events and rate, what the filter selects; the rate is of recorded seconds
# and the sparkline has a scale; a replay shows its clock and how far it
# has come, and times carry the date when the events span days; --max-rows
# keeps every path of 200 000 paths seen by 4 processes each, and the pair
# cap (--max-pairs) folds pairs, counted as Folded, without losing a path;
# F1 explains the counters; the view and sort chosen are kept in the
# settings file; the batch header shows the filter as typed, and e says
# when the log kept only the last events; past --pause-backlog, events that
# arrive while paused are dropped and counted.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

ex="$FIXTURES/examples.csv"

# What the filter selects, beside the machine's totals: 14 write events of
# 21, 5 of the 7 in the recording's last second.
ui_start -- --replay="$ex" --no-config -f type:write
wait_for "replay finished"
wait_for "^ Events: 21  Matching: 14 \(5\.0/s\)  Rate: 7\.0/s  Rows: 8/13 "
has "max [0-9.]+/s *$"
has "Replay: 2026-11-22 10:00:01 \(100%\)"
# F1 explains the counters, the columns and the types.
keys F1
wait_for " - keys and what the screen shows"
keys NPage NPage
wait_for "^   Ring losses +events lost between the capture thread and the screen"
has "^   Folded +\(path, process\) pairs beyond --max-pairs"
keys NPage
wait_for "^   other +events of the types that have no column on screen"
keys NPage
wait_for "^   moved_from  moved_to +a name renamed away / into place"
keys Escape
# e: the log kept only the last --log-depth events
keys q
wait_exit 0
ui_start -- --replay="$ex" --no-config --log-depth=5
wait_for "replay finished"
keys e
wait_for "^Export events as CSV"
keys C-u
type_text "$SCRATCH/events.csv"
keys Enter
wait_for "exported 5 events to .*events.csv: of the last 5 of 21 seen \(--log-depth=5; --record"
# The header, the 5 events, and process lines (empty event and path) for
# the ancestors of their processes.
[ "$(grep -vc ',,,[^,]*,[^,]*,[^,]*$' "$SCRATCH/events.csv")" = 6 ] || fail "events.csv: $(cat "$SCRATCH/events.csv")"
keys q
wait_exit 0

# The batch header shows the filter as it was typed.
"$FANOTOP" --replay="$ex" --batch -f 'unit:^nginx\.service$ type:read' >"$SCRATCH/out" ||
    fail "batch run failed"
[ "$(sed -n 2p "$SCRATCH/out")" = 'view: paths, sort: events desc, filter: unit:^nginx\.service$ type:read' ] ||
    fail "batch filter line: $(sed -n 2p "$SCRATCH/out")"

# A paced replay: its clock and progress move; at the end, 100%.
ui_start -- --replay="$ex" --no-config --replay-speed=0.5
wait_for "Replay: 2026-11-22 10:00:0[01] \(([0-9]|[1-9][0-9])%\)"
wait_for "Replay: 2026-11-22 10:00:01 \(100%\) +replay finished" 30
keys q
wait_exit 0

# Events over three days: times carry the date.
{
    echo "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path"
    echo "2026-11-22T10:00:00.000000Z,1,1,0,0,root,cron,/usr/sbin/cron,cron.service,open,/etc/crontab"
    echo "2026-11-24T11:30:00.000000Z,1,1,0,0,root,cron,/usr/sbin/cron,cron.service,open,/etc/passwd"
} >"$SCRATCH/days.csv"
ui_start -- --replay="$SCRATCH/days.csv" --no-config
wait_for "replay finished"
wait_for "^/etc/crontab +1 .* 2026-11-22 10:00:00 "
has "^/etc/passwd +1 .* 2026-11-24 11:30:00 "
keys 5
wait_for "^2026-11-24 11:30:00.000 .*/etc/passwd"
keys q
wait_exit 0

# The view and sort chosen are kept at exit and come back.
cfg="$SCRATCH/cfg"
ui_start "XDG_CONFIG_HOME=$cfg" -- --replay="$ex"
wait_for "replay finished"
keys 2
wait_for "View: processes"
keys '<'
wait_for "Sort: exe ▲"
keys q
wait_exit 0
grep -qx 'view=processes' "$cfg/fanotop/fanotoprc" || fail "view not kept: $(cat "$cfg/fanotop/fanotoprc")"
grep -qx 'sort.processes=exe,asc' "$cfg/fanotop/fanotoprc" ||
    fail "sort not kept: $(cat "$cfg/fanotop/fanotoprc")"
ui_start "XDG_CONFIG_HOME=$cfg" -- --replay="$ex"
wait_for "View: processes  Sort: exe ▲"
keys 1 2
wait_for "View: processes  Sort: exe ▲"
keys q
wait_exit 0

# 200 000 paths, each seen by 4 processes: every path is kept, nothing
# evicted or folded.
awk 'BEGIN {
    print "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path"
    for (p = 0; p < 4; p++)
        for (i = 0; i < 200000; i++)
            printf "2026-11-22T10:00:0%d.000000Z,%d,%d,1,0,root,w%d,/bin/w,,open,/srv/d%d/f%d\n",
                p, 900 + p, 900 + p, p, i % 100, i
}' >"$SCRATCH/big.csv"
ui_start -- --replay="$SCRATCH/big.csv" --no-config
wait_for "replay finished" 180
wait_for "^ Events: 800000  Rate: [0-9.k]+/s  Rows: 200000/200000  Overflows: 0  Ring losses: 0  Evicted: 0  Folded: 0 " 60
keys 2
wait_for "^ +90[0-3] w[0-3] .* 200000 +200000 "
keys q
wait_exit 0
rm -f "$SCRATCH/big.csv"

# Past --max-pairs, pairs fold into "(others)": the paths all stay.
awk 'BEGIN {
    print "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path"
    for (p = 0; p < 5; p++)
        for (i = 0; i < 1000; i++)
            printf "2026-11-22T10:00:0%d.000000Z,%d,%d,1,0,root,w%d,/bin/w,,open,/srv/f%d\n",
                p, 900 + p, 900 + p, p, i
}' >"$SCRATCH/pairs.csv"
ui_start -- --replay="$SCRATCH/pairs.csv" --no-config --max-rows=1000 --max-pairs=3000
wait_for "replay finished"
wait_for "^ Events: 5000 .* Rows: 1000/1000  Overflows: 0  Ring losses: 0  Evicted: 0  Folded: 3000 "
keys 2
wait_for "^ +0 \(others\) .* 3000 +1000 "
has "^ +904 w4 .* 1000 +1000 "
keys 1
wait_field 4 2 5
keys q
wait_exit 0

# Past --pause-backlog, what arrives while paused is dropped, and counted.
ui_fifo
echo "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path" >&3
ui_start -- --replay="$fifo" --no-config --pause-backlog=1
wait_for "View: paths"
keys Z
wait_for "PAUSED \(\+0 new\)"
awk 'BEGIN { for (i = 0; i < 30000; i++)
    printf "2026-11-22T10:00:00.000000Z,1,1,0,0,root,w,/bin/w,,open,/srv/a/rather/long/path/to/file%06d\n", i }' >&3
wait_for "Dropped: [1-9][0-9]* "
keys Z
wait_gone "PAUSED"
dropped=$(grep -o 'Dropped: [0-9]*' "$SCRATCH/pane" | awk '{print $2}')
wait_for "^ Events: $((30000 - dropped)) "
keys q
wait_exit 0
