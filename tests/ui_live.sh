# The terminal UI on live capture, as root, in tmux: files touched on a
# scratch tmpfs appear in the table; Enter on an event shows its process's
# whole command line; a followed command, since when, and its state show
# in the header, its exit too, and the UI stays until q, which exits with
# the command's status; Ctrl-C goes to the followed command first.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/ui_lib.sh"

dir=$(mount_tmpfs)
"$FANOTOP" --record=/dev/null --duration=1 "$dir" >/dev/null 2>&1 ||
    skip "live capture does not work here"

ui_start -- --no-config --delay=0.2 "$dir"
wait_for "View: paths"
for f in alpha beta gamma; do
    echo "$f" >"$dir/$f"
done
cat "$dir/alpha" >/dev/null
wait_for "^$dir/alpha +[0-9]+ "
wait_for "^$dir/gamma +[0-9]+ "
has "Overflows: 0 .*Ring losses: 0"
lacks "replay finished"
# the processes view shows who did it (this shell's children)
keys 2
wait_for "View: processes"
wait_for " cat "
keys 5
wait_for "View: events"
wait_for "$dir/alpha *$"
# an event's details: every field, the command line whole
long=$(printf 'x%.0s' $(seq 300))
sh -c "echo y >$dir/longcmd; sleep 1; : $long END-OF-CMDLINE" # alive while named
wait_for "$dir/longcmd *$"
keys /
type_text "longcmd"
keys Enter Enter
wait_for "View: event details"
has "^Command: sh -c echo y >$dir/longcmd; sleep 1; : xxxx"
wait_for "END-OF-CMDLINE"
has "^path +$dir/longcmd *$"
keys Escape
keys q
wait_exit 0
terminal_restored

# A followed command: its exit shows, the UI stays until q.
ui_start -- --no-config --delay=0.2 "$dir" -- sh -c "echo x >$dir/followed; sleep 0.5; exit 3"
wait_for "sh exited with status 3"
has "Following: sh \(pid [0-9]+\) since [0-9:]+: sh exited with status 3"
wait_for "^$dir/followed +[0-9]+ "
has "View: paths"
keys q
wait_exit 3

# Ctrl-C interrupts the followed command, not the UI.
ui_start -- --no-config --delay=0.2 "$dir" -- sleep 600
wait_for "View: paths"
wait_for "Following: sleep \(pid [0-9]+\) since [0-9:]+: running"
keys C-c
wait_for "sleep exited with status 130"
has "View: paths"
keys q
wait_exit 130
terminal_restored
