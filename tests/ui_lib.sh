# Helpers for the tmux tests of the terminal UI. Source after lib.sh.
# Each test drives the real binary in its own tmux server (private socket),
# polls the pane for what it expects (no fixed sleeps), and kills the server
# at exit.

TMUX_BIN=${TMUX_BIN:-$(command -v tmux)}
[ -n "$TMUX_BIN" ] && [ -x "$TMUX_BIN" ] || skip "tmux is not installed"
unset TMUX TMUX_PANE
UI_SERVERS=0
UI_SOCK="fanotop-test-$$-0"
UI_TIMEOUT=${UI_TIMEOUT:-20}
FIXTURES="$TESTS_DIR/fixtures"

T() {
    "$TMUX_BIN" -L "$UI_SOCK" -f /dev/null "$@"
}
_kill_servers() {
    _i=0
    while [ "$_i" -le "$UI_SERVERS" ]; do
        "$TMUX_BIN" -L "fanotop-test-$$-$_i" kill-server 2>/dev/null
        _i=$((_i + 1))
    done
}
at_exit _kill_servers

# ui_session COMMAND: a new tmux server (its own socket: a server still
# shutting down never gets in the way) with a 160x40 pane running COMMAND.
ui_session() {
    T kill-server 2>/dev/null
    UI_SERVERS=$((UI_SERVERS + 1))
    UI_SOCK="fanotop-test-$$-$UI_SERVERS"
    # The tmux server must not inherit the test's descriptors (a FIFO's
    # writer held open there would never let the replay see its end).
    T new-session -d -x 160 -y 40 "$1" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- ||
        fail "cannot start tmux"
}

# Quote one argument for sh.
_q() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# ui_start [ENV=VALUE...] -- ARGS...: start fanotop ARGS in a 160x40 pane
# (UTF-8 locale, cwd $SCRATCH). Its stderr goes to $SCRATCH/ui.err and its
# exit status to $SCRATCH/ui.rc; the pane then shows UI-EXITED.
ui_start() {
    # A key's escape sequence can reach the pane in pieces when the machine
    # is busy (tests run in parallel, under sanitizers): wait for the rest.
    envs="LC_ALL=C.UTF-8 ESCDELAY=300"
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        envs="$envs $(_q "$1")"
        shift
    done
    [ "${1:-}" = "--" ] && shift
    cmd=$(_q "$FANOTOP")
    for a in "$@"; do
        cmd="$cmd $(_q "$a")"
    done
    rm -f "$SCRATCH/ui.rc"
    cat >"$SCRATCH/ui-run.sh" <<EOF
cd $(_q "$SCRATCH") || exit 1
trap : INT
env $envs $cmd 2>$(_q "$SCRATCH/ui.err")
echo \$? >$(_q "$SCRATCH/ui.rc")
echo UI-EXITED
exec sleep 3600
EOF
    ui_session "sh $(_q "$SCRATCH/ui-run.sh")"
}

# ui_fifo: a FIFO to replay from, $fifo, open read-write on descriptor 3 so
# that neither side waits for the other to open it; closed at exit.
ui_fifo() {
    fifo="$SCRATCH/feed"
    mkfifo "$fifo" || fail "mkfifo"
    exec 3<>"$fifo"
    at_exit "exec 3>&-"
}

# The pane as text (into $SCRATCH/pane too).
screen() {
    T capture-pane -p >"$SCRATCH/pane" 2>/dev/null
    cat "$SCRATCH/pane"
}

_show() {
    echo "--- screen:" >&2
    cat "$SCRATCH/pane" >&2
    if [ -s "$SCRATCH/ui.err" ]; then
        echo "--- stderr:" >&2
        cat "$SCRATCH/ui.err" >&2
    fi
}

# _poll present|absent SECONDS ERE...: look at the pane until one capture has
# a line for every ERE (present) or none for the ERE (absent); false on
# timeout. A capture can catch a frame half drawn (its header already new,
# its rows not yet: slow under the sanitizers), so every check looks again
# until the frame is whole.
_poll() {
    _mode=$1
    _n=$(( $2 * 20 ))
    shift 2
    while :; do
        screen >/dev/null
        _all=yes
        for _re in "$@"; do
            grep -qE -- "$_re" "$SCRATCH/pane" || _all=no
        done
        [ "$_mode" = present ] && [ $_all = yes ] && return 0
        [ "$_mode" = absent ] && [ $_all = no ] && return 0
        [ "$_n" -gt 0 ] || return 1
        sleep 0.05
        _n=$((_n - 1))
    done
}

# _expect present|absent ERE SECONDS MESSAGE: _poll, or show the screen and fail.
_expect() {
    _poll "$1" "$3" "$2" && return 0
    _show
    fail "$4"
}

# wait_for ERE [SECONDS] / wait_gone ERE [SECONDS]: poll the pane until a line
# matches / no line matches.
wait_for() { _expect present "$1" "${2:-$UI_TIMEOUT}" "timed out waiting for '$1'"; }
wait_gone() { _expect absent "$1" "${2:-$UI_TIMEOUT}" "'$1' is still on the screen"; }

# has ERE / lacks ERE: the screen (after a wait) matches or not.
has() { _expect present "$1" "$UI_TIMEOUT" "screen lacks '$1'"; }
lacks() { _expect absent "$1" "$UI_TIMEOUT" "screen has '$1'"; }

# wait_lines ERE...: poll until one capture (then in $SCRATCH/pane) has a
# line for each ERE, for checks across lines of one whole frame.
wait_lines() {
    _poll present "$UI_TIMEOUT" "$@" && return 0
    _show
    fail "timed out waiting for all of: $*"
}

# wait_field LINE N VALUE: poll until field N (awk's) of line LINE of one
# capture is VALUE, for checks of a row's place (a half-drawn frame can show
# the new header over the old rows).
wait_field() {
    _n=$((UI_TIMEOUT * 20))
    while :; do
        screen >/dev/null
        [ "$(line "$1" | awk -v n="$2" '{print $n}')" = "$3" ] && return 0
        [ "$_n" -gt 0 ] || break
        sleep 0.05
        _n=$((_n - 1))
    done
    _show
    fail "line $1 field $2 is not '$3': $(line "$1")"
}

# Line N (1-based) of the last screen.
line() {
    sed -n "${1}p" "$SCRATCH/pane"
}

keys() {
    T send-keys "$@"
}

# Type TEXT literally.
type_text() {
    T send-keys -l -- "$1"
}

# A mouse click (button 1 press and release) at column X, line Y (0-based),
# as the xterm X10 encoding ncurses asks tmux for (X and Y below 95).
click() {
    _x=$(printf "\\$(printf '%03o' $(($1 + 33)))")
    _y=$(printf "\\$(printf '%03o' $(($2 + 33)))")
    T send-keys -l -- "$(printf '\033[M ')$_x$_y$(printf '\033[M#')$_x$_y"
}

# wait_exit [STATUS]: wait for fanotop to end, check its exit status.
wait_exit() {
    _n=$((UI_TIMEOUT * 20))
    while [ ! -s "$SCRATCH/ui.rc" ] && [ "$_n" -gt 0 ]; do
        sleep 0.05
        _n=$((_n - 1))
    done
    [ -s "$SCRATCH/ui.rc" ] || { screen >/dev/null; _show; fail "fanotop did not exit"; }
    if [ $# -gt 0 ]; then
        [ "$(cat "$SCRATCH/ui.rc")" = "$1" ] ||
            fail "fanotop exited $(cat "$SCRATCH/ui.rc"), want $1; stderr: $(cat "$SCRATCH/ui.err")"
    fi
}

# The pane's terminal state after fanotop ended: main screen, cursor shown,
# mouse reporting off.
terminal_restored() {
    st=$(T display-message -p '#{alternate_on} #{cursor_flag} #{mouse_any_flag}')
    [ "$st" = "0 1 0" ] || fail "terminal not restored (alternate cursor mouse: $st)"
}

# The pid of fanotop running in the pane (the child of the pane's shell).
ui_pid() {
    pgrep -P "$(T display-message -p '#{pane_pid}')" | head -n 1
}
