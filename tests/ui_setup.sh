# The setup screen (F2): colour, refresh delay and a hidden column change at
# once, are written to $XDG_CONFIG_HOME/fanotop/fanotoprc, and hold after a
# restart; a broken line in the file is reported with its line number and
# otherwise ignored; --no-config neither reads nor writes the file.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/ui_lib.sh"

fixture="$FIXTURES/ui_basic.csv"
cfg="$SCRATCH/config"
rc="$cfg/fanotop/fanotoprc"
mkdir -p "$cfg"

# Colour escapes in the pane as tmux renders it (SGR 30-38, 40-48, 90-107;
# 39 and 49 only reset to the defaults).
colours() {
    T capture-pane -e -p | grep -cE "$(printf '\033')\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m" || true
}

ui_start "XDG_CONFIG_HOME=$cfg" -- --replay="$fixture"
wait_for "replay finished"
wait_for "^path .* open "
[ "$(colours)" -gt 0 ] || fail "no colours before the setup changed them"

keys F2
wait_for "^ Setup: .*fanotoprc"
has "^   Colour +on"
has "^   Refresh delay +1 s"
has "^     \[x\] open"
keys Space # colour off
wait_for "^   Colour +off"
keys Down Down Right # delay 1 s -> 2 s
wait_for "^   Refresh delay +2 s"
keys Down Down Down Down Space # the paths view's "open" column
wait_for "^     \[ \] open"
[ -f "$rc" ] || fail "the setup screen wrote no $rc"
grep -qx "color=no" "$rc" || fail "fanotoprc lacks color=no: $(cat "$rc")"
grep -qx "delay=2" "$rc" || fail "fanotoprc lacks delay=2: $(cat "$rc")"
grep -q "^columns.paths=path,events,access," "$rc" || fail "fanotoprc columns: $(cat "$rc")"
keys Escape
wait_gone "^ Setup:"
wait_for "^path .* access "
lacks "^path .* open "
[ "$(colours)" = 0 ] || fail "colours still on after switching them off"
keys q
wait_exit 0

# A restart keeps all three; a broken line is named and skipped.
echo "colour=yes" >>"$rc"
ui_start "XDG_CONFIG_HOME=$cfg" -- --replay="$fixture"
wait_for "replay finished|fanotoprc:"
wait_for "fanotoprc:[0-9]+: .*colour"
wait_for "^path .* access "
lacks "^path .* open "
[ "$(colours)" = 0 ] || fail "colour came back after a restart"
keys F2
wait_for "^   Refresh delay +2 s"
has "^   Colour +off"
keys Escape q
wait_exit 0

# --no-config: the file is neither read (all columns, colours) nor written.
cp "$rc" "$SCRATCH/rc.before"
ui_start "XDG_CONFIG_HOME=$cfg" -- --replay="$fixture" --no-config
wait_for "replay finished"
wait_for "^path .* open "
[ "$(colours)" -gt 0 ] || fail "--no-config still read color=no"
keys F2
wait_for "not saved \(--no-config\)"
has "^   Refresh delay +1 s"
keys Space Escape q
wait_exit 0
cmp -s "$rc" "$SCRATCH/rc.before" || fail "--no-config wrote the settings file"
exit 0
