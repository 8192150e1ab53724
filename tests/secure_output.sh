# Root writes nothing an attacker chose. A scratch user plants, in a
# directory of theirs, what root's --record, E/e exports and settings file
# might land on: a symbolic link to a root-only file, a link to a directory
# of root's on the way, a file of theirs, a FIFO with their reader. Each is refused with one line (status 2 for
# --record), and nothing is written anywhere; no command runs. A FIFO
# without a reader is refused at once (with or without --duration). A device
# (/dev/null, a node like it, /dev/full) stays a device. Under sudo the
# user's own file is replaced by a new one and root's is refused. The
# settings file under sudo: a symlinked directory is refused, missing
# directories are made the user's, a FIFO or an oversized file does not
# hold up the start.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/scratch_user.sh"
. "$TESTS_DIR/ui_lib.sh"

S=$SCRATCH
dir=$(mount_tmpfs)
drop="$S/drop" # the attacker's own directory, like their /tmp/s
mkdir "$drop"
chown "$ATTACKER:" "$drop"
echo secret >"$S/secret"
chmod 600 "$S/secret"
as_attacker ln -s "$S/secret" "$drop/link.csv"
as_attacker sh -c "echo theirs >'$drop/theirs.csv'; chmod 644 '$drop/theirs.csv'"
as_attacker mkfifo -m 666 "$drop/fifo"

# intact PATH TEXT: PATH still holds TEXT alone.
intact() {
    [ "$(cat "$1")" = "$2" ] || fail "$1 was written: $(cat "$1")"
}

# ---- --record (live, with capabilities) ----
expect_status 2 "$FANOTOP" --record="$drop/link.csv" --duration=0.2 "$dir" -- touch "$S/ran"
expect_err "^fanotop: cannot write $drop/link\.csv: a symbolic link \(not followed\)$"
intact "$S/secret" secret
[ -L "$drop/link.csv" ] || fail "the link was replaced"
[ ! -e "$S/ran" ] || fail "the command ran although the record was refused"

# A directory link of theirs on the way is not followed either.
mkdir "$S/roots-only"
as_attacker ln -s "$S/roots-only" "$drop/dirlink"
expect_status 2 "$FANOTOP" --record="$drop/dirlink/a.csv" --duration=0.2 "$dir"
expect_err "^fanotop: cannot write $drop/dirlink: a symbolic link of another user, not followed \(uid $ATTACKER_UID\)$"
[ -z "$(ls "$S/roots-only")" ] || fail "a file appeared behind the attacker's link: $(ls "$S/roots-only")"

expect_status 2 "$FANOTOP" --record="$drop/theirs.csv" --duration=0.2 "$dir"
expect_err "^fanotop: cannot write $drop/theirs\.csv: it belongs to another user \(uid $ATTACKER_UID\)$"
intact "$drop/theirs.csv" theirs
[ "$(stat -c %U "$drop/theirs.csv")" = "$ATTACKER" ] || fail "the attacker's file changed hands"

# The attacker reads their FIFO: root's events must not reach them.
$AS_ATTACKER cat "$drop/fifo" >"$S/stolen" &
reader=$!
at_exit "kill $reader 2>/dev/null"
expect_status 2 "$FANOTOP" --record="$drop/fifo" --duration=0.2 "$dir"
expect_err "^fanotop: cannot write $drop/fifo: it belongs to another user \(uid $ATTACKER_UID\)$"
kill "$reader" 2>/dev/null
[ ! -s "$S/stolen" ] || fail "root's events went into the attacker's FIFO: $(head -c 200 "$S/stolen")"

# A FIFO without a reader: refused at once, not waited on (the timeout only
# guards against the old hang).
mkfifo "$S/lonely"
expect_status 2 timeout 60 "$FANOTOP" --record="$S/lonely" --duration=0.2 "$dir"
expect_err "^fanotop: cannot write $S/lonely: a FIFO with no reader$"
expect_status 2 timeout 60 "$FANOTOP" --record="$S/lonely" --replay="$FIXTURES/batch.csv"
expect_err "a FIFO with no reader$"
# With a reader it is written, and stays a FIFO.
"${PYTHON3:-python3}" - "$S/lonely" "$S/lonely.got" "$S/reading" <<'EOF' &
import os, select, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)  # a reader from now on
open(sys.argv[3], "w").close()
select.select([fd], [], [])  # until a writer has written or come and gone
os.set_blocking(fd, True)
with open(sys.argv[2], "wb") as out:
    while True:
        b = os.read(fd, 65536)
        if not b:
            break
        out.write(b)
EOF
readerpid=$!
at_exit "kill $readerpid 2>/dev/null"
while [ ! -e "$S/reading" ]; do sleep 0.05; done
expect_status 0 "$FANOTOP" --record="$S/lonely" --replay="$FIXTURES/batch.csv"
wait $readerpid
head -n 1 "$S/lonely.got" | grep -q '^time,pid,' || fail "the FIFO's reader got no record"
[ -p "$S/lonely" ] || fail "the FIFO was replaced"

# Devices stay devices.
mknod -m 666 "$S/n" c 1 3
expect_status 0 "$FANOTOP" --record="$S/n" --duration=0.2 "$dir"
[ -c "$S/n" ] || fail "--record replaced a device node by a file"
expect_status 0 "$FANOTOP" --record=/dev/null --duration=0.2 "$dir"
[ -c /dev/null ] || fail "--record replaced /dev/null"
expect_status 1 "$FANOTOP" --record=/dev/full --replay="$FIXTURES/batch.csv"
grep -q "^fanotop: cannot write /dev/full: No space left on device$" "$SCRATCH/err" ||
    fail "no error for /dev/full: $(cat "$SCRATCH/err")"
[ -c /dev/full ] || fail "--record replaced /dev/full"

# Under sudo: root's file is another user's; the user's own is replaced.
echo root >"$S/roots.csv"
expect_status 2 env SUDO_UID="$ATTACKER_UID" SUDO_GID="$ATTACKER_GID" \
    "$FANOTOP" --record="$S/roots.csv" --duration=0.2 "$dir"
expect_err "it belongs to another user \(uid 0\)$"
intact "$S/roots.csv" root
as_attacker sh -c "echo old >'$drop/mine.csv'"
ln "$drop/mine.csv" "$S/mine-link"
ino=$(stat -c %i "$drop/mine.csv")
expect_status 0 env SUDO_UID="$ATTACKER_UID" SUDO_GID="$ATTACKER_GID" \
    "$FANOTOP" --record="$drop/mine.csv" --duration=0.2 "$dir"
[ "$(stat -c '%U %a' "$drop/mine.csv")" = "$ATTACKER 600" ] ||
    fail "the user's record is $(stat -c '%U %a' "$drop/mine.csv")"
[ "$(stat -c %i "$drop/mine.csv")" != "$ino" ] || fail "the user's file was written in place"
intact "$S/mine-link" old

# ---- E and e: the same rules from the screen ----
ui_start -- --replay="$FIXTURES/ui_basic.csv" --no-config
wait_for "replay finished"
# export KEY PATH: export with KEY to PATH; the status line is in the pane.
export_to() {
    keys "$1" C-u
    type_text "$2"
    keys Enter
}
export_to E "$drop/link.csv"
wait_for "cannot write $drop/link\.csv: a symbolic link \(not followed\)"
export_to e "$drop/theirs.csv"
wait_for "cannot write $drop/theirs\.csv: it belongs to another user"
export_to E "$drop/fifo"
wait_for "cannot write $drop/fifo: it belongs to another user"
export_to e "$S/n"
wait_for "^exported [0-9]+ events to $S/n"
export_to E /dev/full
wait_for "cannot write /dev/full: No space left on device"
keys q
wait_exit 0
intact "$S/secret" secret
intact "$drop/theirs.csv" theirs
[ -c "$S/n" ] && [ -c /dev/full ] || fail "an export replaced a device"
[ -L "$drop/link.csv" ] && [ -p "$drop/fifo" ] || fail "an export replaced the attacker's files"
[ -z "$(ls "$S" | grep -E '\.[A-Za-z0-9]{6}$')" ] || fail "a temporary file was left: $(ls "$S")"

# ---- the settings file, as root under sudo for the scratch user ----
home=$ATTACKER_HOME
# settings_ui TEXT...: the screen live on the tmpfs as root for the user,
# with the user's HOME; waits for it, then for each TEXT on the screen.
settings_ui() {
    ui_start "HOME=$home" "SUDO_UID=$ATTACKER_UID" "SUDO_GID=$ATTACKER_GID" -- "$dir"
    wait_for "View: paths"
    for t in "$@"; do
        wait_for "$t"
    done
}
# A missing ~/.config is made for the user, not for root.
settings_ui
keys F2
wait_for "^ Setup: .*$home/\.config/fanotop/fanotoprc"
keys Space # colour off: saved at once
keys Escape q
wait_exit 0
for d in "$home/.config" "$home/.config/fanotop" "$home/.config/fanotop/fanotoprc"; do
    [ "$(stat -c %U "$d")" = "$ATTACKER" ] || fail "$d is $(stat -c %U "$d")'s"
done
grep -qx "color=no" "$home/.config/fanotop/fanotoprc" || fail "the setting was not saved"

# A symlinked settings directory pointing at root's: neither read nor written.
mkdir -m 700 "$S/roots-dir"
echo "delay=7" >"$S/roots-dir/fanotoprc"
rm -r "$home/.config/fanotop"
as_attacker ln -s "$S/roots-dir" "$home/.config/fanotop"
settings_ui "cannot read $home/\.config/fanotop: a symbolic link of another user, not followed \(uid $ATTACKER_UID\)"
keys F2 Space Escape q
wait_exit 0
[ "$(cat "$S/roots-dir/fanotoprc")" = "delay=7" ] || fail "root's file was written through the link"
[ "$(ls "$S/roots-dir")" = fanotoprc ] || fail "files appeared in root's directory: $(ls "$S/roots-dir")"

# A FIFO as the file does not hold up the start; neither does /dev/zero
# behind a link, nor a file of 2 MiB.
rm "$home/.config/fanotop"
as_attacker mkdir -m 700 "$home/.config/fanotop"
as_attacker mkfifo "$home/.config/fanotop/fanotoprc"
settings_ui "fanotoprc: not a regular file"
keys q
wait_exit 0
as_attacker rm "$home/.config/fanotop/fanotoprc"
as_attacker ln -s /dev/zero "$home/.config/fanotop/fanotoprc"
settings_ui "fanotoprc: a symbolic link \(not followed\)"
keys q
wait_exit 0
as_attacker rm "$home/.config/fanotop/fanotoprc"
as_attacker sh -c "head -c 2097152 /dev/zero | tr '\\0' '#' >'$home/.config/fanotop/fanotoprc'"
settings_ui "fanotoprc: larger than the 1 MiB"
keys q
wait_exit 0
# A directory of another user's on the way is not trusted either.
as_attacker rm "$home/.config/fanotop/fanotoprc"
chown root "$home/.config/fanotop"
settings_ui "config/fanotop: not a directory of the invoking user's \(uid 0\)"
keys q
wait_exit 0
exit 0
