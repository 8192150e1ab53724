# The terminal itself, in tmux: hostile file names are drawn escaped (no raw
# control reaches the terminal: the pane title stays, \x1b shows), wide
# characters keep the columns aligned, colours follow --no-color and
# NO_COLOR, resize relayouts and a tiny terminal says what it needs, Ctrl-L
# repaints, and every way out (q, Ctrl-C, SIGTERM, SIGHUP, a fault, Ctrl-Z)
# gives the terminal back.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

fixture="$FIXTURES/ui_basic.csv"
py=${PYTHON3:-python3}

ui_start -- --replay="$fixture" --no-config
wait_for "replay finished"
wait_for "Rows: 9/9"

# ---- hostile names ----
has '^/tmp/evil\\x1b\[31mred\\x07name '
has '^/tmp/title\\x1b\]0;pwned\\x07x '
has '^/tmp/two\\nlines '
has '^/tmp/abc\\u\{202e\}gnp.exe '
[ "$(T display-message -p '#{pane_title}')" != pwned ] || fail "a file name set the pane title"
# the pane holds no control byte: what we drew was text
T capture-pane -p | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" &&
    fail "a control byte reached the pane"
# escapes are drawn in their own style (bold magenta), the rest as text
T capture-pane -p -e | grep 'evil' | grep -q '\[35m\\x1b.*\[31mred' ||
    fail "escape not in its style: $(T capture-pane -p -e | grep evil | cat -v)"

# Wide characters: every table row ends at the same screen column.
T capture-pane -p >"$SCRATCH/pane"
"$py" - "$SCRATCH/pane" <<'EOF' || fail "wide characters break the columns"
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")[3:12]
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
ends = {width(l.rstrip()) for l in lines if l.strip()}
assert len(ends) == 1, [(width(l.rstrip()), l) for l in lines]
assert any("ファイル" in l for l in lines)
EOF
# a long path keeps its tail
has "^…[a-z0-9/]*directory17/directory18/directory19/file.conf +1 "
keys Left
wait_for "^…[a-z0-9/]*directory17/directory18/directory19/… +1 "
keys Right
wait_for "^…[a-z0-9/]*directory17/directory18/directory19/file.conf +1 "
# Left stops at the name's start: one Right moves back at once
for i in $(seq 30); do keys Left; done
wait_for "^/very/long/directory00/[a-z0-9/]*… +1 "
keys Right
wait_for "^…[a-z0-9/]*… +1 "

# ---- colours ----
E=$(printf '\033')
T capture-pane -p -e | grep -qE "$E\[(3[0-7]|4[0-7])m" || fail "no colours by default"

# ---- resize and the smallest size ----
T resize-window -x 50 -y 8
wait_for "^fanotop needs at least 60x10 \(now 50x8\)$"
T resize-window -x 100 -y 24
wait_for "View: paths"
wait_for "F10Quit"
[ "$(grep -c . "$SCRATCH/pane")" -ge 12 ] || fail "not relaid out at 100x24"
[ "$(LC_ALL=C.UTF-8 wc -L <"$SCRATCH/pane")" -le 100 ] ||
    fail "lines wider than the pane after a resize"
T resize-window -x 160 -y 40
wait_for "close_write"

# Ctrl-L repaints everything.
T send-keys -t 0 -l "$(printf 'garbage')"
keys C-l
wait_for "View: paths"
lacks "garbage"

# Ctrl-C quits (no command to forward it to), the terminal comes back.
keys C-c
wait_exit 0
terminal_restored

# ---- monochrome ----
ui_start NO_COLOR=1 -- --replay="$fixture" --no-config
wait_for "replay finished"
wait_for "Rows: 9/9"
T capture-pane -p -e | grep -E "$E\[(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;|48;)" &&
    fail "NO_COLOR: colours on the screen"
T capture-pane -p -e | grep -q "$E\[7m" || fail "NO_COLOR: no reverse video for the bars"

# SIGTERM: the terminal comes back.
kill -TERM "$(ui_pid)"
wait_exit 0
terminal_restored

ui_start -- --replay="$fixture" --no-config --no-color
wait_for "replay finished"
T capture-pane -p -e | grep -E "$E\[(3[0-7]|4[0-7]|38;|48;)" &&
    fail "--no-color: colours on the screen"
kill -HUP "$(ui_pid)"
wait_exit 0
terminal_restored

# ---- a terminal that is not UTF-8: ASCII only ----
ui_start LC_ALL=C -- --replay="$fixture" --no-config
wait_for "replay finished"
wait_for "Sort: events v"
has '^~.*/\\xe3\\x83\\x95.*\.txt '
has '^~.*directory19/file.conf '
T capture-pane -p | LC_ALL=C grep -q "$(printf '[\200-\377]')" &&
    fail "non-ASCII on an ASCII terminal"
keys 6
wait_for "^- /"
has "^  \+ var/"
keys q
wait_exit 0

# A fault: the terminal comes back before the process dies of it.
ui_start -- --replay="$fixture" --no-config
wait_for "replay finished"
kill -SEGV "$(ui_pid)"
if [ -n "${SAN_CFLAGS:-}" ]; then
    wait_exit # the sanitizer reports the fault and picks the status
    [ "$(cat "$SCRATCH/ui.rc")" != 0 ] || fail "a fault exited 0"
else
    wait_exit 139
fi
terminal_restored

# ---- Ctrl-Z and fg, from an interactive shell ----
ui_session "env LC_ALL=C.UTF-8 ESCDELAY=300 PS1='prompt\$ ' bash --norc --noprofile -i"
wait_for '^prompt\$'
type_text "$FANOTOP --replay=$fixture --no-config"
keys Enter
wait_for "replay finished"
keys C-z
wait_for "Stopped"
[ "$(T display-message -p '#{alternate_on}')" = 0 ] || fail "Ctrl-Z left the screen up"
type_text "fg"
keys Enter
wait_for "View: paths"
[ "$(T display-message -p '#{alternate_on}')" = 1 ] || fail "fg did not bring the screen back"
keys q
wait_for '^prompt\$ *$'
[ "$(T display-message -p '#{alternate_on} #{cursor_flag} #{mouse_any_flag}')" = "0 1 0" ] ||
    fail "terminal not restored after fg and q"
