# The table as htop keeps it, in tmux, on a replay fed through a FIFO: the
# cursor keeps its place in the list while a row overtakes the one it was
# on, and the screen never scrolls by itself (the first row on screen is
# the top of the sort); F follows one row wherever it goes, and a move
# stops that; PgDn scrolls, and then the screen stays where the user put
# it; Home and End. Monochrome (--no-color): the selected row is the one
# reverse-video bar of the table, the column header is underlined.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

ui_fifo
E=$(printf '\033')

# feed PATH COUNT: COUNT opens of PATH.
feed() {
    awk -v p="$1" -v n="$2" 'BEGIN {
        for (i = 0; i < n; i++)
            printf "2026-11-22T10:00:00.%06dZ,700,700,1,0,root,w,/bin/w,,open,%s\n", i, p
    }' >&3
}

# The line (1-based) of the selected row: the table's one reverse bar.
selected() {
    T capture-pane -p -e | sed '$d' | grep -nE "^$E\[(0;)?7m" | cut -d: -f1 | tr '\n' ' ' | sed 's/ $//'
}

# wait_selected LINE NAME: the bar is on LINE, which shows NAME.
wait_selected() {
    _n=$((UI_TIMEOUT * 20))
    while :; do
        screen >/dev/null
        [ "$(selected)" = "$1" ] && [ "$(line "$1" | awk '{print $1}')" = "$2" ] && return 0
        [ "$_n" -gt 0 ] || break
        sleep 0.05
        _n=$((_n - 1))
    done
    _show
    fail "the selected row is on line '$(selected)', want $1 showing $2"
}

echo "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path" >&3
ui_start -- --replay="$fifo" --no-config --no-color --delay=0.2
wait_for "View: paths"
# 60 rows: /data/p01 has 160 events, /data/p60 has 101; more than a screen.
# (The UI reads the FIFO as it is written: no more than a pipe's worth waits.)
i=1
while [ "$i" -le 60 ]; do
    feed "/data/p$(printf %02d "$i")" $((161 - i))
    i=$((i + 1))
done
wait_for "Rows: 60/60"
wait_field 4 1 /data/p01
# the column header is underlined, the selected row alone in reverse video
T capture-pane -p -e | sed -n 3p | grep -q "^$E\[0;4m" ||
    fail "column header not underlined: $(T capture-pane -p -e | sed -n 3p | cat -v)"
wait_selected 4 /data/p01

# A row from below the screen overtakes: it shows at the top, under the
# cursor, which kept its place; the row it was on is second now.
lacks "^/data/p60 "
feed /data/p60 200
wait_field 4 1 /data/p60
wait_field 4 2 301
wait_selected 4 /data/p60
wait_field 5 1 /data/p01

# Down twice: the cursor is third; once the rows may move again, another
# row overtakes and the cursor stays third.
keys Down Down
wait_selected 6 /data/p02
feed /data/p59 400
wait_field 4 1 /data/p59
wait_selected 6 /data/p01

# F follows the row at the cursor: when it overtakes, the bar goes with it.
keys F
wait_for "following /data/p01"
wait_for "Following: /data/p01 since"
feed /data/p01 500
wait_field 4 1 /data/p01
wait_selected 4 /data/p01
# a move stops following; the cursor keeps its place again
keys Down
wait_gone "Following:"
wait_selected 5 /data/p59
keys F
wait_for "Following: /data/p59 since"
keys F
wait_gone "Following:"

# PgDn scrolls a page: the screen stays where the user put it while the
# top of the sort changes above it.
keys NPage
wait_gone "^/data/p01 "
first=$(line 4 | awk '{print $1}')
feed /data/p02 2000 # from above the screen to the top: the rows on screen stay
wait_for "Events: $((7830 + 200 + 400 + 500 + 2000)) "
sleep 0.5
wait_field 4 1 "$first"
lacks "^/data/p02 "
keys Home
wait_field 4 1 /data/p02
wait_selected 4 /data/p02
keys End
wait_for "^/data/p58 "
[ "$(selected)" = "$(($(T capture-pane -p | wc -l) - 1))" ] || fail "End: bar on line $(selected)"
keys q
wait_exit 0
