# Signals from the table, live, as root in tmux: F9 on a selected sleep
# offers SIGTERM, asks once naming it, and the sleep dies of SIGTERM; k on a
# group row of three sleeps signals all three (the count is named); any
# other key than y sends nothing; a process that is gone is reported, not
# signalled. The process tree shows the sleeps under the shell that started
# them.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/ui_lib.sh"

dir=$(mount_tmpfs)
need_live_capture "$dir"
# A sleep run from the watched filesystem: its exec names it.
cp /bin/sleep "$dir/sleep"

# running PID: true while PID runs (a zombie does not).
running() {
    [ -e /proc/"$1" ] && [ "$(awk '{print $3}' /proc/"$1"/stat 2>/dev/null)" != Z ]
}

ui_start -- --no-config --delay=0.2 -v processes "$dir"
wait_for "View: processes"
"$dir/sleep" 600 &
victim=$!
at_exit "kill $victim 2>/dev/null"
wait_for "^ +$victim sleep "
# Only its row: the cursor is on it.
keys '\'
type_text "pid:$victim"
keys Enter
wait_for "Rows: 1/"
keys F9
wait_for "^ *15 SIGTERM"
wait_for "^Signal to sleep \(pid $victim\): Enter chooses, Esc cancels"
keys Enter
wait_for "^Send SIGTERM to sleep \(pid $victim\)\? y: send, any other key: cancel"
keys n
wait_for "^nothing sent"
running "$victim" || fail "a signal was sent without a yes"
keys F9 Enter y
wait_for "^sent SIGTERM to sleep \(pid $victim\)"
wait "$victim"
rc=$?
[ $rc = 143 ] || fail "the sleep ended with status $rc, not of SIGTERM (143)"
# Gone: nothing is sent, and the status line says why.
keys F9 Enter y
wait_for "^SIGTERM not sent: sleep \(pid $victim\) has exited"

# A group row: every sleep folded into it.
keys '\' C-u Enter
for i in 1 2 3; do
    "$dir/sleep" 600 &
    eval "s$i=\$!"
done
at_exit "kill $s1 $s2 $s3 2>/dev/null"
keys '\'
type_text "comm:^sleep$ !pid:$victim"
keys Enter
keys g
wait_for "View: processes by comm"
wait_for "^sleep +3 "
keys k
wait_for "^Signal to 3 processes of sleep: Enter chooses"
keys Down Up Enter # SIGTERM still chosen
wait_for "^Send SIGTERM to 3 processes of sleep\?"
keys y
wait_for "^sent SIGTERM to 3 processes of sleep"
for p in $s1 $s2 $s3; do
    wait "$p"
    rc=$?
    [ $rc = 143 ] || fail "sleep $p ended with status $rc, not of SIGTERM"
done

# The process tree: the sleeps sat under this test's shell, which touched
# no watched file (an ancestor shown for them).
keys g g g 7
wait_for "View: proctree"
keys '\' C-u Enter
wait_for "▾ [^ ]+ +$$ "
wait_for "^ +sleep +$victim "
keys q
wait_exit 0
exit 0
