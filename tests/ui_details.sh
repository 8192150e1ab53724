# Details that name everything, in tmux on a replay: Enter on an event
# shows that event, every field of it, and from there its path's or its
# process's details; a path's details name each event type in full; in the
# tree, Enter and Right open a directory, Enter and Left close it.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

fixture="$FIXTURES/ui_basic.csv"

ui_start -- --replay="$fixture" --no-config --view=events
wait_for "replay finished"
keys /
type_text "hosts"
keys Enter Enter
wait_for "View: event details"
[ "$(line 3 | sed 's/ *$//')" = "Command: /usr/bin/cat" ] || fail "title: '$(line 3)'"
for want in \
    "field▲     value" \
    "time       2026-11-22T10:00:09.000000Z (2026-11-22 10:00:09 UTC)" \
    "event      open|access" \
    "path       /etc/hosts" \
    "path state named" \
    "pid        200" \
    "tid        200" \
    "ppid       1" \
    "user       root" \
    "uid        0" \
    "comm       cat" \
    "exe        /usr/bin/cat" \
    "cmdline" \
    "unit       ssh.service"; do
    grep -qx -- "$(printf '%s' "$want" | sed 's/[].[\*^$]/\\&/g') *" "$SCRATCH/pane" ||
        { _show; fail "event details lack '$want'"; }
done
# the path's row: who touched that path
keys Down Down Enter
wait_for "View: path details"
has "^Path: /etc/hosts *$"
has "^ +200 cat +root +4 +open\|access +10:00:09 10:00:12 *$"
keys Escape
wait_for "View: event details"
# a process row: what that process touched
keys Down Down Down Down Down Down Down Down Enter
wait_for "View: process details"
has "^/etc/hosts +4 +open\|access "
keys Escape Escape
wait_for "View: events"

# A path's details name every type in full.
keys 1
wait_for "View: paths"
keys /
type_text "notes"
keys Enter Enter
wait_for "^Path: /home/alice/notes.txt"
has "^ +201 vim +alice +2 +modify\|close_write +10:00:13 10:00:14 *$"
keys Escape

# The tree: Left closes the directory at the cursor, Right opens it, Enter
# does both; on a file Enter opens its details.
keys 6
wait_for "▾ /"
wait_for "▸ var/"
keys Left
wait_for "^▸ / "
lacks "var/"
keys Right
wait_for "^▾ / "
has "▸ var/"
keys Down Enter # var/ opens, and its only children with it
wait_for "▾ var/"
has "▾ log/"
has "^ +access.log +8 "
keys Enter
wait_for "▸ var/"
lacks "log/"
keys Right
wait_for "▾ nginx/"
keys Down Down Down
keys Enter
wait_for "View: path details"
has "^Path: /var/log/nginx/access.log"
keys q
wait_exit 0
