# Ctrl-C while following a command reaches the command's process group, as a
# terminal would: `bash -c 'sleep 600; true'` ends at the first Ctrl-C,
# bash and its sleep both (the screen, where the command has a session of
# its own; --record from the terminal; --record stopped by kill -INT, which
# no terminal saw). A command that ignores SIGINT gets SIGTERM at the second
# Ctrl-C and SIGKILL at the third, each announced on the status line or on
# stderr. Signals go to the command's processes only, never to fanotop's
# own shell or a pipeline's other programs.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/ui_lib.sh"

dir=$(mount_tmpfs)
need_live_capture "$dir"

# children PID: the pids whose parent is PID.
children() {
    pgrep -P "$1" 2>/dev/null | tr '\n' ' '
}

# command_pids FANOTOP_PID: wait until the command (fanotop's child) and its
# child, the sleep, run; sets CMD and SLEEP.
command_pids() {
    _n=0
    while :; do
        CMD=$(children "$1" | awk '{print $1}')
        SLEEP=
        [ -n "$CMD" ] && SLEEP=$(children "$CMD" | awk '{print $1}')
        [ -n "$SLEEP" ] && return 0
        _n=$((_n + 1))
        [ $_n -lt 400 ] || fail "the followed command did not start: ${CMD:-none}"
        sleep 0.05
    done
}

# gone MSG PID...: poll until every PID has ended; say how long it took.
gone() {
    _msg=$1
    shift
    _t0=$(date +%s%N)
    _n=0
    while :; do
        _alive=
        for _p in "$@"; do
            kill -0 "$_p" 2>/dev/null && [ "$(awk '{print $3}' /proc/"$_p"/stat 2>/dev/null)" != Z ] &&
                _alive="$_alive $_p"
        done
        [ -z "$_alive" ] && break
        _n=$((_n + 1))
        [ $_n -lt 400 ] || fail "$_msg: still running:$_alive"
        sleep 0.02
    done
    echo "$_msg: ended $((($(date +%s%N) - _t0) / 1000000)) ms after the signal" >&2
}

# ---- the screen: the command has its own session ----
ui_start -- --no-config --delay=0.2 "$dir" -- bash -c 'sleep 600; true'
wait_for "View: paths"
command_pids "$(ui_pid)"
keys C-c
gone "screen, first Ctrl-C" "$CMD" "$SLEEP"
wait_for "bash exited with status 130"
wait_for "^sent SIGINT to the process group of bash \(Ctrl-C again: SIGTERM\) \(q quits\)"
keys q
wait_exit 130

# Ignoring SIGINT and SIGTERM: the third Ctrl-C is SIGKILL.
ui_start -- --no-config --delay=0.2 "$dir" -- bash -c 'trap "" INT TERM; sleep 600; true'
wait_for "View: paths"
command_pids "$(ui_pid)"
keys C-c
wait_for "^sent SIGINT to the process group of bash \(Ctrl-C again: SIGTERM\) \(q quits\)"
kill -0 "$SLEEP" || fail "an ignored SIGINT ended the sleep"
keys C-c
wait_for "^sent SIGTERM to the process group of bash \(Ctrl-C again: SIGKILL\) \(q quits\)"
kill -0 "$CMD" || fail "an ignored SIGTERM ended bash"
keys C-c
gone "screen, third Ctrl-C" "$CMD" "$SLEEP"
wait_for "bash exited with status 137"
keys q
wait_exit 137

# ---- --record from the terminal: the command shares fanotop's group ----
ui_start -- --record="$SCRATCH/tty.csv" "$dir" -- bash -c 'trap "" INT; sleep 600; true'
_n=0
until FPID=$(ui_pid) && [ -n "$FPID" ]; do
    _n=$((_n + 1))
    [ $_n -lt 400 ] || fail "record mode did not start"
    sleep 0.05
done
command_pids "$FPID"
keys C-c
_n=0
until grep -qx "fanotop: Ctrl-C sent SIGINT to the process group of bash (Ctrl-C again: SIGTERM)" \
    "$SCRATCH/ui.err"; do
    _n=$((_n + 1))
    [ $_n -lt 400 ] || fail "record: the first Ctrl-C was not announced: $(cat "$SCRATCH/ui.err")"
    sleep 0.05
done
kill -0 "$SLEEP" || fail "record: an ignored SIGINT ended the sleep"
keys C-c
gone "record, second Ctrl-C" "$CMD" "$SLEEP"
wait_exit 143
grep -qx "fanotop: sent SIGTERM to the process group of bash (Ctrl-C again: SIGKILL)" \
    "$SCRATCH/ui.err" || fail "record: SIGTERM not announced: $(cat "$SCRATCH/ui.err")"

# ---- --record stopped by kill -INT (no terminal): a pipeline's other
# program and the test's own shell are left alone ----
"$FANOTOP" --record=- "$dir" -- bash -c 'sleep 600; true' 2>"$SCRATCH/kill.err" |
    { cat >"$SCRATCH/kill.csv"; echo reader-done >"$SCRATCH/reader"; } &
_n=0
until FPID=$(pgrep -f -- "--record=- $dir -- bash" | head -n 1) && [ -n "$FPID" ]; do
    _n=$((_n + 1))
    [ $_n -lt 400 ] || fail "record to a pipe did not start"
    sleep 0.05
done
command_pids "$FPID"
kill -INT "$FPID"
gone "kill -INT" "$CMD" "$SLEEP"
wait
grep -qx "fanotop: sent SIGINT to the process group of bash (Ctrl-C again: SIGTERM)" \
    "$SCRATCH/kill.err" || fail "kill -INT: not announced: $(cat "$SCRATCH/kill.err")"
[ "$(cat "$SCRATCH/reader" 2>/dev/null)" = reader-done ] || fail "the pipeline's reader was signalled"
head -n 1 "$SCRATCH/kill.csv" | grep -q '^time,pid,' || fail "the reader got no record"
exit 0
