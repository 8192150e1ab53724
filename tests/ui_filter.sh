# The filter prompt in tmux: rows narrow as you type, an invalid regex shows
# PCRE2's message with a caret while the last valid filter stays in force,
# Enter keeps, Esc restores the filter from before, Up recalls earlier
# filters, an empty filter brings every row back; --filter sets the start.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

fixture="$FIXTURES/ui_basic.csv"

ui_start -- --replay="$fixture" --no-config
wait_for "replay finished"
wait_for "Rows: 9/9"

keys '\'
wait_for "^Filter:"
wait_for "OK: 9 of 9 rows match"
type_text "nginx"
wait_for "Rows: 1/9"
has "OK: 1 of 9 rows match"
has "^/var/log/nginx/access.log "
lacks "/etc/hosts"

# An invalid regex: the error and a caret, the rows stay those of "nginx".
type_text " ("
wait_for "\^ missing closing parenthesis"
has "^Filter: nginx \($"
has "Rows: 1/9"
has "^/var/log/nginx/access.log "
# the caret sits under the column PCRE2 points at (the end of the text)
prompt_col=$(grep -n '^Filter: nginx (' "$SCRATCH/pane" | cut -d: -f1)
caret=$(sed -n "$((prompt_col - 1))p" "$SCRATCH/pane" | awk '{print index($0, "^")}')
[ "$caret" = 16 ] || fail "caret at column $caret, want 16 (after 'Filter: nginx (')"
keys BSpace BSpace
wait_for "OK: 1 of 9 rows match"
keys Enter
wait_gone "^Filter:"
has "Filter: nginx"
has "Rows: 1/9"

# Esc restores the filter that was in force when the prompt opened.
keys F4
wait_for "^Filter: nginx"
keys C-u
type_text "comm:cat"
wait_for "^/etc/hosts "
has "Rows: 1/9"
keys Escape
wait_for "^/var/log/nginx/access.log "
has "Filter: nginx"
lacks "^/etc/hosts "

# Up and Down recall earlier filters.
keys F4 C-u
type_text "hosts"
keys Enter
wait_for "Filter: hosts"
keys F4 Up
wait_for "^Filter: hosts"
keys Up
wait_for "^Filter: nginx"
wait_for "^/var/log/nginx/access.log "
keys Down
wait_for "^Filter: hosts"
wait_for "^/etc/hosts "
keys Escape

# Filters narrow every view, and the tree; clearing brings all back.
keys 2
wait_for "View: processes"
wait_for "Rows: 1/"
has " cat "
keys F4 C-u Enter
wait_for "Rows: 7/7"
lacks "Filter: "
keys q
wait_exit 0

# --filter sets the start filter.
ui_start -- --replay="$fixture" --no-config --filter='comm:vim'
wait_for "replay finished"
wait_for "Rows: 1/9"
has "Filter: comm:vim"
has "^/home/alice/notes.txt "
keys q
wait_exit 0

# The history is kept in the settings file when there is one.
mkdir -p "$SCRATCH/cfg/fanotop"
printf 'filter=comm:cat\n' >"$SCRATCH/cfg/fanotop/fanotoprc"
ui_start XDG_CONFIG_HOME="$SCRATCH/cfg" -- --replay="$fixture"
wait_for "replay finished"
keys F4 Up
wait_for "^Filter: comm:cat"
wait_for "^/etc/hosts "
keys C-u
type_text "path:notes"
keys Enter
wait_for "Filter: path:notes"
keys q
wait_exit 0
grep -qx 'filter=comm:cat' "$SCRATCH/cfg/fanotop/fanotoprc" || fail "old history lost"
grep -qx 'filter=path:notes' "$SCRATCH/cfg/fanotop/fanotoprc" ||
    fail "new filter not saved: $(cat "$SCRATCH/cfg/fanotop/fanotoprc")"
