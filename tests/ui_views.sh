# The terminal UI on a replay fixture, in tmux: every view by digit (7 the
# process tree, 8 the containers) and by Tab / Shift-Tab, the tree's expand and collapse, the details pane and back,
# help, search with n, --view / --sort at start, an unknown --sort column.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

fixture="$FIXTURES/ui_basic.csv"

# An unknown sort column is a usage error, before the screen starts.
expect_status 2 "$FANOTOP" --replay="$fixture" --no-config --sort=bogus
expect_err "^fanotop: unknown sort column 'bogus' for view paths"

ui_start -- --replay="$fixture" --no-config
wait_for "replay finished"
wait_for "Events: 20 .*Rows: 9/9"
has "View: paths .*Sort: events ▼"
wait_field 4 1 /var/log/nginx/access.log
wait_field 4 2 8
has "F1Help .*F10Quit"

# Tab and Shift-Tab cycle, digits jump.
keys Tab
wait_for "View: processes"
has "^ +100 nginx +www-data +nginx.service +/usr/sbin/nginx +8 "
keys BTab
wait_for "View: paths"
keys 3
wait_for "View: types"
wait_for "^open +12 "
keys 4
wait_for "View: units"
has "^nginx.service +8 "
has "^docker:4f3c2a9e81b7 "
keys 5
wait_for "View: events .*Sort: time ▲"
# the raw log, newest at the bottom
wait_lines 'abc\\u\{202e\}gnp\.exe' 'access\.log'
last=$(grep -n 'abc\\u{202e}gnp.exe' "$SCRATCH/pane" | cut -d: -f1)
first=$(grep -n 'access.log' "$SCRATCH/pane" | head -n 1 | cut -d: -f1)
[ -n "$last" ] && [ -n "$first" ] && [ "$last" -gt "$first" ] || fail "events not oldest first"
keys 6
wait_for "View: tree"
wait_for "▾ /"
has "▸ var/"
lacks "access.log"
keys '*'
wait_for "^ +access.log +8 "
has "▾ nginx/"
keys '*'
wait_for "▸ /"
keys '+'
wait_for "▸ etc/"
keys Down '+'
wait_for "▾ var/"
has "▸ log/"
keys '-'
wait_for "▸ var/"
# t and F5 go back to the view before the tree, and into it again
keys t
wait_for "View: events"
keys F5
wait_for "View: tree"
keys F5
wait_for "View: events"
# 7 the process tree, 8 the containers (by the id where a recording has no
# name); Enter lists a container's processes.
keys 7
wait_for "View: proctree"
has "^  nginx +100 +www-data +8 "
keys 8
wait_for "View: containers"
has "Rows: 1/1"
has "^container +unit +▼events +procs +files +last +rate"
has "^docker:4f3c2a9e81b7 +docker:4f3c2a9e81b7 +1 +1 +1 "
keys Enter
wait_for "^Unit: docker:4f3c2a9e81b7 *$"
has "^ +302 deep +root +docker:4f3c2a9e81b7 "
keys Escape
wait_for "View: containers"

# Details: a path's processes, then that process's paths, then back.
keys 1
wait_for "View: paths"
keys Enter
wait_for "View: path details"
has "^Path: /var/log/nginx/access.log"
has "^ +100 nginx +www-data "
keys Enter
wait_for "View: process details"
has "^Command: /usr/sbin/nginx"
has "^/var/log/nginx/access.log +8 "
keys Escape
wait_for "View: path details"
keys BSpace
wait_for "View: paths"
lacks "^Path:"
# a long path is shown whole in the title, wrapped
keys / 
type_text "file.conf"
keys Enter Enter
wait_for "View: path details"
has "^Path: /very/long/directory00/"
has "directory19/file.conf"
keys Escape
wait_for "View: paths"

# Help lists the keys; Esc or q closes it.
keys F1
wait_for "fanotop .* - keys"
has "Ctrl-L"
has "F4  \\\\"
keys q
wait_for "View: paths"
keys '?'
wait_for " - keys"
keys Escape
wait_for "View: paths"

# Search: / finds as you type, n goes on to the next match.
keys /
wait_for "^Search:"
type_text "HOSTS"
keys Enter
wait_gone "^Search:"
keys Enter
wait_for "^Path: /etc/hosts"
keys Escape
keys /
type_text "/tmp/"
keys Enter
wait_gone "^Search:"
keys n Enter
wait_for "^Path: /tmp/"
path1=$(grep '^Path: ' "$SCRATCH/pane")
keys Escape
wait_gone "^Path: " # the same details would pass the check below
keys n Enter
wait_for "^Path: /tmp/"
[ "$(grep '^Path: ' "$SCRATCH/pane")" != "$path1" ] || fail "n did not move to the next match"
keys Escape
keys /
type_text "no-such-name"
wait_for "^Search: no-such-name"
keys Escape

keys q
wait_exit 0
terminal_restored
wait_for "UI-EXITED"

# --view and --sort choose the start.
ui_start -- --replay="$fixture" --no-config --view=processes --sort=comm
wait_for "View: processes .*Sort: comm ▲"
wait_for "^ +200 cat "
wait_field 4 2 cat
keys q
wait_exit 0
