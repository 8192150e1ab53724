# Overload. (1) Ring losses are counted exactly: 60 000 files are created,
# each name once (create events of distinct names never merge in the kernel
# queue), while one fanotop with a 1 MiB ring writes into a pipe nobody reads
# yet; what it wrote plus the ring losses it reports is exactly what a second
# fanotop with room for everything saw. (2) Under a flood with a tiny kernel
# queue the terminal UI keeps answering keys, shows the kernel overflows in
# its header, stays within bounded memory, and exports (owned by the sudo
# user, mode 0600).
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
. "$TESTS_DIR/ui_lib.sh"

N=60000
dir=$(mount_tmpfs)
fanotop_start "$SCRATCH/ref.csv" -e create --unlimited-queue "$dir"
ref=$FPID

# The constrained one: its reader sleeps until the load is over.
mkfifo "$SCRATCH/gate" "$SCRATCH/pipe"
(
    read -r _ <"$SCRATCH/gate"
    exec cat
) <"$SCRATCH/pipe" >"$SCRATCH/con.csv" &
reader=$!
at_exit "kill $reader 2>/dev/null"
flock -s 9
"$FANOTOP" --verbose -e create --unlimited-queue --ring-size=1 --record=- "$dir" \
    >"$SCRATCH/pipe" 2>"$SCRATCH/con.err" &
con=$!
at_exit "kill $con 2>/dev/null"
n=0
until [ "$(cat /proc/$con/fdinfo/* 2>/dev/null | grep -c '^fanotify ')" -gt 0 ]; do
    n=$((n + 1))
    [ $n -lt 100 ] || fail "constrained fanotop not ready: $(cat "$SCRATCH/con.err")"
    sleep 0.1
done
flock -u 9
sleep 0.3

"$FSOPS" create "$dir" $N || fail "the load failed"
echo go >"$SCRATCH/gate" # the reader starts; the backlog drains
settle "$SCRATCH/con.csv"
settle "$SCRATCH/ref.csv"
kill -INT $con
wait $con || fail "constrained fanotop exited $?: $(cat "$SCRATCH/con.err")"
wait $reader
FPID=$ref fanotop_stop

"$PY" - "$SCRATCH/ref.csv" "$SCRATCH/con.csv" "$SCRATCH/con.err" "$dir" $N <<'PY' || fail "ring losses not exact"
import csv, re, sys
ref, con, err, d, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
def creates(path):
    with open(path, newline="") as f:
        return sum(1 for r in csv.DictReader(f)
                   if r["event"] == "create" and r["path"].startswith(d + "/c-"))
r, w = creates(ref), creates(con)
text = open(err).read()
m = re.search(r"(\d+) events, (\d+) kernel overflows, (\d+) ring losses", text)
assert m, text
written, overflows, losses = map(int, m.groups())
print("reference %d, written %d, ring losses %d, summary written %d" % (r, w, losses, written))
assert r == n, "the reference saw %d creates, not %d" % (r, n)
assert overflows == 0, text
assert losses > 0, "no ring losses: the test did not overload the ring"
assert w == written, "summary says %d written, the file holds %d" % (written, w)
assert w + losses == n, "written %d + lost %d != %d created" % (w, losses, n)
m = re.search(r"(\d+) events captured: (\d+) written, (\d+) lost in the ring, (\d+) not selected "
              r"by the filter, (\d+) past", text)
assert m, "no --verbose accounting: " + text
captured, *parts = map(int, m.groups())
assert parts[:2] == [written, losses], (parts, written, losses)
assert captured == sum(parts), "captured %d, accounted %d" % (captured, sum(parts))
print("captured %d, all accounted for" % captured)
PY

# The UI under a flood it cannot keep up with: a 64-event kernel queue.
knob=/proc/sys/fs/fanotify/max_queued_events
[ -w "$knob" ] || skip "$knob not writable"
(while :; do "$FSOPS" flood "$dir" 20000 >/dev/null 2>&1 || exit; done) &
load=$!
at_exit "kill $load 2>/dev/null"
flock -x -w 300 9 || fail "the capture tests lock is still held after 300 s"
old=$(cat "$knob")
at_exit "echo $old >$knob"
echo 64 >"$knob"
ui_start SUDO_UID="$(id -u nobody)" SUDO_GID="$(id -g nobody)" -- "$dir" --no-config
wait_for "View: paths"
wait_for "Overflows: [1-9]"
echo "$old" >"$knob"
flock -u 9
for v in 2:processes 5:events 1:paths 3:types; do
    keys "${v%%:*}"
    wait_for "View: ${v#*:} "
done
# An export taken in the middle of it, with privileges already dropped, is
# whole and handed to the user who ran sudo, readable by nobody else.
keys E
wait_for "^Export"
keys Enter
wait_for "exported [0-9]+ rows to "
snap=$(ls "$SCRATCH"/fanotop-types-*.csv) || fail "no export file"
[ "$(stat -c '%a %U' "$snap")" = "600 nobody" ] || fail "export is $(stat -c '%a %U' "$snap")"
"$PY" -c 'import csv, sys; r = list(csv.reader(open(sys.argv[1]))); assert r[0][0] == "type" and len(r) > 1, r' \
    "$snap" || fail "the export taken under the flood does not parse"
rss=$(awk '/^VmRSS/ {print $2}' /proc/"$(ui_pid)"/status)
[ "$rss" -lt 1048576 ] || fail "the UI holds $rss kB under the flood"
keys q
wait_exit 0
exit 0
