# The terminal UI under signals, seen from the admin's shell: SIGTERM, SIGINT
# and SIGHUP arriving while a replay streams leave the terminal exactly as
# the shell had it (main screen, the same stty settings, typed text echoed);
# Ctrl-Z and fg mid-stream suspend and redraw. And without root, a replay
# recorded into a pipe whose reader goes away ends with its summary. (Record
# mode under signals on a live capture: record_signals.sh.)
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"
py=${PYTHON3:-python3}

# An hour of events, one every 10 ms: at --replay-speed=1 the stream never
# runs dry while the test looks.
rec="$SCRATCH/stream.csv"
"$py" - "$rec" <<'PY' || fail "cannot write the recording"
import sys
with open(sys.argv[1], "w") as f:
    f.write("time,pid,tid,ppid,uid,user,comm,exe,unit,event,path\n")
    for i in range(360000):
        s, cs = divmod(i, 100)
        f.write("2026-11-22T%02d:%02d:%02d.%02d0000Z,%d,%d,1,0,root,w%d,/bin/w,x.service,open,/d/f%d\n"
                % (10 + s // 3600, s // 60 % 60, s % 60, cs, 100 + i % 7, 100 + i % 7, i % 7, i % 997))
PY

# Without a line editor (dash), what the pane shows of typed text is the
# tty's own echo: the test sees the terminal modes fanotop left behind. Short
# relative names keep each typed command on one pane line.
ln -s "$FANOTOP" "$SCRATCH/fanotop" || fail "cannot link the binary"
ui_session "env LC_ALL=C.UTF-8 ESCDELAY=300 PS1='prompt\$ ' dash -i"
wait_for '^prompt\$'
type_text "cd $SCRATCH && stty -g >stty.before"
keys Enter
ui="./fanotop --replay=stream.csv --replay-speed=1 --no-config"

# Events arrive: the total grows between two looks.
streaming() {
    wait_for "Events: [1-9]"
    seen=$(grep -oE 'Events: [0-9]+' "$SCRATCH/pane")
    wait_gone "$seen([^0-9]|$)"
}

# Back at the prompt after fanotop ended: the main screen, the modes the shell
# had, and typed text echoed.
shell_back() { # shell_back TAG
    [ "$(T display-message -p '#{alternate_on}')" = 0 ] || fail "$1: the UI's screen is still up"
    [ "$(stty -g <"$(T display-message -p '#{pane_tty}')")" = "$(cat "$SCRATCH/stty.before")" ] ||
        fail "$1: the terminal's modes are not the shell's"
    type_text "echo typed-$1-back"
    keys Enter
    wait_for "^prompt\\$ echo typed-$1-back"
    wait_for "^typed-$1-back"
}

for sig in TERM INT HUP; do
    type_text "$ui; echo rc-$sig=\$?"
    keys Enter
    wait_for "View: paths"
    streaming
    kill -$sig "$(ui_pid)"
    wait_for "^rc-$sig=0"
    shell_back "SIG$sig"
done

# Ctrl-Z mid-stream gives the shell its terminal back; fg redraws and the
# stream goes on.
type_text "$ui"
keys Enter
wait_for "View: paths"
streaming
keys C-z
wait_for "Stopped"
shell_back stopped
type_text "fg"
keys Enter
wait_for "View: paths"
[ "$(T display-message -p '#{alternate_on}')" = 1 ] || fail "fg did not bring the UI back"
streaming
keys q
wait_for '^prompt\$ *$'
shell_back fg

# A reader that goes away: the replay's record ends, the summary is printed.
{
    "$FANOTOP" --replay="$rec" --record=- 2>"$SCRATCH/pipe.err"
    echo $? >"$SCRATCH/pipe.rc"
} | head -n 1 >"$SCRATCH/pipe.out"
[ "$(cat "$SCRATCH/pipe.rc")" = 0 ] || fail "closed pipe: exit $(cat "$SCRATCH/pipe.rc")"
grep -qxE 'fanotop: [0-9]+ events, [0-9]+ kernel overflows, [0-9]+ ring losses' "$SCRATCH/pipe.err" ||
    fail "closed pipe: no summary: $(cat "$SCRATCH/pipe.err")"
grep -qx 'time,pid,tid,ppid,uid,user,comm,exe,unit,event,path,start,container,cpath' "$SCRATCH/pipe.out" ||
    fail "closed pipe: the header did not come first"
exit 0
