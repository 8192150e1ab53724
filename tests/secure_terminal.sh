# Root's terminal receives no raw byte of anyone's choosing. File, process
# and user names that carry terminal controls (a title change, a screen
# clear, an OSC 52 clipboard write, 8-bit CSI, bidi overrides) go through
# -b (table and CSV) and --record=- (CSV and JSON Lines) onto a real
# pseudo-terminal: no ESC, BEL or C1 byte arrives, the names show escaped.
# The same to a pipe stays byte-exact. Error messages that echo what a user
# typed or named (PATH, -v, -s, -u, --replay, --record, the command, an
# unknown option, a filter) and --verbose lines about a hostile mount point
# are escaped wherever stderr goes.
. "$TESTS_DIR/lib.sh"
need_root

S=$SCRATCH
PY=${PYTHON3:-python3}
ptyrun() {
    "$PY" "$TESTS_DIR/pty_run.py" "$@"
}

# A recording whose names and identities are hostile.
"$PY" - "$S/hostile.csv" <<'EOF'
import csv, sys
names = [b"/tmp/title\x1b]0;pwned\x07x", b"/tmp/clear\x1b[2J\x1b[H", b"/tmp/clip\x1b]52;c;cHduZWQ=\x07",
         b"/tmp/c1\xc2\x9b31mred", b"/tmp/raw\x9b2J", b"/tmp/bidi\xe2\x80\xaegnp.exe", b"/tmp/bell\x07\x08\x7f"]
with open(sys.argv[1], "w", newline="", encoding="utf-8", errors="surrogateescape") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow("time,pid,tid,ppid,uid,user,comm,exe,unit,event,path,start,container,cpath".split(","))
    for i, n in enumerate(names):
        w.writerow(["2026-11-22T10:00:%02d.000000Z" % i, 100 + i, 100 + i, 1, 1000,
                    "u\x1b[1mser", "co\x1b]0;t\x07mm", "/bin/e\x1bxe", "unit\x07", "open",
                    n.decode("utf-8", "surrogateescape"), "", "docker:w\x1b]0;t\x07b",
                    n.decode("utf-8", "surrogateescape")])
EOF

# raw FILE: the bytes a terminal must never get (ESC, BEL, BS, DEL, C1 both
# as UTF-8 and as a byte, a bidi override).
raw() {
    "$PY" - "$1" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
bad = re.findall(rb"[\x1b\x07\x08\x7f\x9b]|\xc2[\x80-\x9f]|\xe2\x80\xae", data)
sys.exit(0 if bad else 1)
EOF
}

for locale in C.UTF-8 C; do
    for args in "-b --format=table" "-b --format=csv" "--record=- --format=csv" \
        "--record=- --format=jsonl"; do
        LC_ALL=$locale ptyrun "$S/tty.out" -- "$FANOTOP" --replay="$S/hostile.csv" $args -v events ||
            fail "$args ($locale) on a terminal failed: $(cat -v "$S/tty.out")"
        ! raw "$S/tty.out" || fail "$args ($locale): raw control bytes reached the terminal: $(cat -v "$S/tty.out")"
        # (JSON escapes the controls itself; its backslashes show doubled, as on the screen)
        grep -qF 'title\x1b]0;pwned\x07x' "$S/tty.out" || grep -qF 'title\\u001b]0;pwned\\u0007x' "$S/tty.out" ||
            fail "$args ($locale): the name is not shown escaped: $(cat -v "$S/tty.out")"
    done
done
# A terminal that is not UTF-8 gets no byte above ASCII from the table.
LC_ALL=C ptyrun "$S/tty.out" -- "$FANOTOP" --replay="$TESTS_DIR/fixtures/ui_basic.csv" -b ||
    fail "-b on a C terminal failed"
LC_ALL=C grep -q "$(printf '[\200-\377]')" "$S/tty.out" && fail "non-ASCII on an ASCII terminal: $(cat -v "$S/tty.out")"
grep -qF '\xe3\x83\x95' "$S/tty.out" || fail "the CJK name is not escaped on an ASCII terminal"

# To a pipe: the record is byte-exact (replay gives the same records back).
"$FANOTOP" --replay="$S/hostile.csv" --record=- >"$S/pipe.csv" || fail "--record=- to a pipe"
cmp -s "$S/hostile.csv" "$S/pipe.csv" || fail "the record to a pipe changed: $(cat -v "$S/pipe.csv")"

# ---- messages ----
E=$(printf '\033')
evil="x${E}]0;pwned$(printf '\007')${E}[2J$(printf '\342\200\256')"
# one_line_clean CMD...: CMD fails with one line on stderr, no raw control.
one_line_clean() {
    "$@" >/dev/null 2>"$S/err" </dev/null && fail "'$*' succeeded"
    [ "$(wc -l <"$S/err")" = 1 ] || fail "'$*': not one line: $(cat -v "$S/err")"
    ! raw "$S/err" || fail "'$*': raw control bytes in the message: $(cat -v "$S/err")"
    grep -qF 'x\x1b]0;pwned\x07\x1b[2J' "$S/err" || fail "'$*': the argument is not shown escaped: $(cat -v "$S/err")"
}
one_line_clean "$FANOTOP" -v "$evil"
one_line_clean "$FANOTOP" --replay="$S/$evil"
one_line_clean "$FANOTOP" "--no-such-$evil"
one_line_clean "$FANOTOP" -u "$evil" -- true
one_line_clean "$FANOTOP" --record="$S/none/$evil" --replay="$S/hostile.csv"
one_line_clean "$FANOTOP" --replay="$S/hostile.csv" -b -s "$evil"
one_line_clean "$FANOTOP" --record=/dev/null "$S/none-$evil"
one_line_clean "$FANOTOP" --record=/dev/null "$S" -- "$S/$evil"
one_line_clean "$FANOTOP" --replay="$S/hostile.csv" -b -f "($evil"
# ... and on a terminal.
ptyrun "$S/tty.err" -- "$FANOTOP" -v "$evil" && fail "-v $evil succeeded"
! raw "$S/tty.err" || fail "a raw control byte reached the terminal: $(cat -v "$S/tty.err")"

# --verbose names a hostile mount point, escaped.
mnt="$S/mnt-$evil"
mkdir "$mnt"
mount -t tmpfs fanotop-test "$mnt" || fail "cannot mount on $mnt"
at_exit "umount -l '$mnt' 2>/dev/null"
"$FANOTOP" --verbose --record=/dev/null --duration=0.2 "$mnt" 2>"$S/verbose" ||
    fail "--verbose: $(cat -v "$S/verbose")"
grep -qF 'watching ' "$S/verbose" || fail "--verbose said nothing: $(cat -v "$S/verbose")"
! raw "$S/verbose" || fail "--verbose printed raw control bytes: $(cat -v "$S/verbose")"
exit 0
