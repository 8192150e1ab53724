# Following a command records until the command and every process it
# started have exited, like strace -f: a double-forked daemon's write,
# made after the command itself has exited, is recorded. --stop-at-exit
# ends with the command instead, and its last line names the processes
# still running.
. "$TESTS_DIR/lib.sh"
need_root

dir=$(mount_tmpfs)
# The daemon waits for $dir/go, which the test makes once the command
# (sh) has exited; it then writes $dir/X and ends. It gives up after 30 s
# and keeps no descriptor of the test's (the capture tests' lock, fd 9):
# one left behind must not hold up other tests. The command ends once the
# daemon runs as sh (it made $dir/up), so that it is named sh, not setsid.
daemon="(setsid sh -c ': >$dir/up; i=0; while [ ! -e $dir/go ] && [ \$i -lt 600 ]; do sleep 0.05; i=\$((i + 1)); done; echo d >$dir/X' 9>&- &); until [ -e $dir/up ]; do sleep 0.01; done"
at_exit ": >'$dir/go'"

"$FANOTOP" --record="$SCRATCH/d.csv" "$dir" -- sh -c "$daemon" 2>"$SCRATCH/err" &
fp=$!
# The command has exited once its daemon is fanotop's child (its subreaper).
adopted() {
    kill -0 "$fp" 2>/dev/null || fail "fanotop ended with its command: $(cat "$SCRATCH/err")"
    pgrep -P "$fp" -f "while \\[ ! -e $dir/go" >/dev/null
}
wait_for adopted
kill -0 "$fp" 2>/dev/null || fail "fanotop ended while the daemon still ran: $(cat "$SCRATCH/err")"
: >"$dir/go"
wait "$fp" || fail "fanotop exited $?: $(cat "$SCRATCH/err")"
grep -qE ",[^,]*close_write[^,]*,$dir/X(,[^,]*)*\$" "$SCRATCH/d.csv" ||
    fail "the daemon's write is not recorded: $(cat "$SCRATCH/d.csv" "$SCRATCH/err")"
[ -e "$dir/X" ] || fail "the daemon did not run"

# --stop-at-exit: fanotop ends with sh, and says the daemon still runs.
rm -f "$dir/go" "$dir/X" "$dir/up"
"$FANOTOP" --stop-at-exit --record="$SCRATCH/s.csv" "$dir" -- sh -c "$daemon" \
    >"$SCRATCH/out" 2>"$SCRATCH/err" || fail "--stop-at-exit: exit $?: $(cat "$SCRATCH/err")"
grep -qE '^fanotop: sh exited; still running: [0-9]+ \(sh\)' "$SCRATCH/err" ||
    fail "no line naming the daemon: $(cat "$SCRATCH/err")"
tail -n 1 "$SCRATCH/err" | grep -q 'still running' || fail "not the last line: $(cat "$SCRATCH/err")"
: >"$dir/go"
wait_for [ -s "$dir/X" ] # the daemon's write, made after fanotop ended
! grep -q "$dir/X" "$SCRATCH/s.csv" || fail "--stop-at-exit recorded past the command's exit"

expect_status 2 "$FANOTOP" --stop-at-exit --record=/dev/null "$dir"
expect_err '^fanotop: --stop-at-exit needs a COMMAND after -- \(see fanotop --help\)$'
exit 0
