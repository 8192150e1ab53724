# Every signal that ends fanotop gives the terminal back, in tmux: the main
# screen, the cursor shown, mouse reporting off, keypad mode off. Signals
# that would end a process without a fault (SIGQUIT, SIGUSR1, SIGALRM, ...)
# stop it as q does (status 0); faults (SIGSEGV, SIGABRT, ...) restore the
# terminal first and then kill it as they would have (128+N).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

fixture="$FIXTURES/ui_basic.csv"

# given_back SIG: the pane's terminal is as it was before fanotop.
given_back() {
    st=$(T display-message -p '#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{keypad_cursor_flag} #{keypad_flag}')
    [ "$st" = "0 1 0 0 0" ] ||
        fail "SIG$1: terminal not restored (alternate cursor mouse keypad-cursor keypad: $st)"
}

# on_signal SIG STATUS: start the screen, check it took the terminal, send
# SIG, check the exit status and the terminal.
on_signal() {
    ui_start -- --replay="$fixture" --no-config
    wait_for "replay finished"
    st=$(T display-message -p '#{alternate_on} #{mouse_any_flag} #{keypad_cursor_flag}')
    [ "$st" = "1 1 1" ] || fail "SIG$1: the screen did not take the terminal ($st)"
    kill -"$1" "$(ui_pid)"
    if [ "$2" != 0 ] && [ -n "${SAN_CFLAGS:-}" ]; then
        wait_exit # a sanitizer reports a fault and picks the status
    else
        wait_exit "$2"
    fi
    given_back "$1"
}

for sig in TERM HUP INT QUIT USR1 USR2 ALRM VTALRM PROF XCPU XFSZ IO PWR RTMIN; do
    on_signal $sig 0
done
# Faults, with Linux's numbers.
for fault in ABRT:6 SEGV:11 BUS:7 FPE:8 ILL:4 TRAP:5 SYS:31; do
    on_signal "${fault%:*}" $((128 + ${fault#*:}))
done
exit 0
