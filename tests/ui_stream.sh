# The terminal UI fed as events arrive (a replay from a FIFO this test
# writes), in tmux: pause freezes the table while the header counts the new
# events (+N grows), resume shows them; the events view follows the newest
# row until the cursor moves up, End follows again; a kernel overflow shows
# in the warning colour at once; Del asks, then resets; the end of the
# replay shows.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

ui_fifo
n=0
feed() { # feed COUNT [PATH-PREFIX]
    i=0
    while [ "$i" -lt "$1" ]; do
        n=$((n + 1))
        i=$((i + 1))
        printf '2026-11-22T10:00:00.%06dZ,%d,%d,1,0,root,w%d,/bin/w,,open,%s%d\n' \
            "$n" $((1000 + n % 7)) $((1000 + n % 7)) $((n % 7)) "${2:-/data/f}" "$n" >&3
    done
}
echo "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path" >&3
feed 3

ui_start -- --replay="$fifo" --no-config --delay=0.2
wait_for "Events: 3 .*Rows: 3/3"
lacks "replay finished"

keys Z
wait_for "PAUSED \(\+0 new\)"
feed 5
wait_for "PAUSED \(\+5 new\)"
has "Events: 3 .*Rows: 3/3"
feed 4
wait_for "PAUSED \(\+9 new\)"
has "Events: 3 "
lacks "/data/f12"
keys p
wait_for "Events: 12 .*Rows: 12/12"
lacks "PAUSED"
has "/data/f12"

# While the cursor moves the rows hold still (as in htop): a row that gains
# events moves up only once the cursor has been still for a moment.
target=$(line 15 | awk '{print $1}')
case $target in /data/f*) ;; *) fail "no row at the bottom: $(line 15)" ;; esac
keys Down
t0=$(date +%s%N)
for i in 1 2 3 4 5; do
    printf '2026-11-22T10:00:02.%06dZ,1,1,1,0,root,w,/bin/w,,open,%s\n' "$i" "$target" >&3
done
wait_for "Events: 17 "
ms=$((($(date +%s%N) - t0) / 1000000))
if [ "$ms" -lt 1000 ]; then # still inside the 1.5 s freeze
    [ "$(line 15 | awk '{print $1}')" = "$target" ] || fail "the rows moved under the cursor"
fi
wait_for "^$target +6 "
wait_field 4 1 "$target"

# The events view follows the newest row.
keys 5
wait_for "View: events"
feed 60 /data/seq-
wait_for "/data/seq-72 *$"
# moving up stops following: new rows arrive below, out of sight
keys Up Up Up
feed 20 /data/seq-
wait_for "Events: 97 "
sleep 0.5
screen >/dev/null
lacks "/data/seq-92"
keys End
wait_for "/data/seq-92 *$"

# A kernel overflow marker: counted in the header, in the warning colour.
echo "2026-11-22T10:00:01.000000Z,0,0,0,0,,,,,overflow," >&3
wait_for "Overflows: 1 "
T capture-pane -p -e | head -n 1 | grep -q 'Overflows: .*\[41m1' ||
    fail "the overflow count is not in the warning colour: $(T capture-pane -p -e | head -n 1)"

# Del asks first: any key but y keeps the counts.
keys Delete
wait_for "^Reset all counters\? y resets"
keys n
wait_for "counters kept"
has "Events: 97 "
keys Delete
wait_for "^Reset all counters\? y resets"
keys y
wait_for "counters reset"
wait_for "Events: 0 .*Rows: 0/0"

# The end of the recording shows in the header; the UI stays.
exec 3>&-
wait_for "replay finished"
has "View: events"
keys q
wait_exit 0
terminal_restored
