# The limits of a headless run, and the numbers behind them: --duration of
# centuries does not wrap round to "stop now"; -b honours --duration and
# --count (and prints its last snapshot then); a reader that goes away ends
# --record=- and -b at once, not at the next event or --delay; a closed
# stdout is said so; a recording whose every line is malformed exits 2;
# --log-depth has a ceiling that keeps the events view working; a 64 KiB
# invalid filter is reported on one line with its reason.
. "$TESTS_DIR/lib.sh"
need_root

S=$SCRATCH
PY=${PYTHON3:-python3}
fixture="$TESTS_DIR/fixtures/batch.csv"
dir=$(mount_tmpfs)

# ---- --duration=1e10 runs ----
"$FANOTOP" --record="$S/long.csv" --duration=1e10 "$dir" 2>"$S/long.err" &
pid=$!
at_exit "kill $pid 2>/dev/null"
n=0
until grep -q /probe "$S/long.csv" 2>/dev/null; do
    n=$((n + 1))
    [ $n -lt 400 ] || fail "--duration=1e10: no event recorded: $(cat "$S/long.err")"
    kill -0 "$pid" 2>/dev/null || fail "--duration=1e10 ended at once: $(cat "$S/long.err")"
    : >"$dir/probe"
    sleep 0.05
done
kill -INT "$pid"
wait "$pid" || fail "--duration=1e10: exit status $?"

# ---- -b with --duration and --count ----
# (timeout only guards against the old behaviour: a run for a --delay of an hour)
expect_status 0 timeout 120 "$FANOTOP" -b -d 3600 --duration=0.3 "$dir"
[ "$(grep -c '^fanotop - ' "$SCRATCH/out")" = 1 ] || fail "-b --duration: not one last snapshot: $(cat "$SCRATCH/out")"
expect_status 0 "$FANOTOP" --replay="$fixture" -b --count=3 -v events
grep -q '^fanotop - .* events: 3,' "$SCRATCH/out" || fail "-b --count=3: $(cat "$SCRATCH/out")"
[ "$(grep -c ' /etc/hosts$' "$SCRATCH/out")" = 3 ] || fail "-b --count=3 rows: $(cat "$SCRATCH/out")"
# Live: the run ends at the third event of the filter's.
(
    timeout 120 "$FANOTOP" -b -d 3600 --count=3 -f 'path:/counted' "$dir" >"$S/count.out" 2>"$S/count.err"
    echo $? >"$S/count.rc"
) &
sub=$!
while [ ! -s "$S/count.rc" ]; do
    : >"$dir/other"
    : >"$dir/counted"
    sleep 0.1
done
wait $sub
[ "$(cat "$S/count.rc")" = 0 ] || fail "-b --count live: status $(cat "$S/count.rc"): $(cat "$S/count.err")"
grep -qE "^$dir/counted +3 " "$S/count.out" || fail "-b --count live: $(cat "$S/count.out")"

# ---- a reader that goes away ----
{ timeout 120 "$FANOTOP" --record=- "$dir" 2>"$S/gone.err"; echo $? >"$S/gone.rc"; } | head -c 1 >/dev/null
[ "$(cat "$S/gone.rc")" = 0 ] || fail "--record=- | head -c1: status $(cat "$S/gone.rc"): $(cat "$S/gone.err")"
{ timeout 120 "$FANOTOP" -b -d 3600 "$dir" 2>"$S/gone.err"; echo $? >"$S/gone.rc"; } | true
[ "$(cat "$S/gone.rc")" = 0 ] || fail "-b | true: status $(cat "$S/gone.rc"): $(cat "$S/gone.err")"

# A reader that never reads: --duration still ends the run (the write that
# waits on it is given up then).
mkfifo "$S/stalled"
exec 4<>"$S/stalled" # a reader (and writer) that reads nothing
"$PY" -c '
import sys
sys.stdout.write("time,pid,tid,ppid,uid,user,comm,exe,unit,event,path\n")
for i in range(200000):
    sys.stdout.write("2026-11-22T10:00:00.000000Z,1,1,0,0,root,x,/x,,open,/stalled/%d\n" % i)
' >"$S/many.csv"
expect_status 1 timeout 120 "$FANOTOP" --replay="$S/many.csv" --record="$S/stalled" --duration=0.5
grep -q "^fanotop: cannot write $S/stalled: its reader was not reading when --duration ended$" \
    "$SCRATCH/err" || fail "a stalled reader at --duration: $(cat "$SCRATCH/err")"
exec 4>&-

# ---- a closed stdout ----
expect_status 2 sh -c "exec '$FANOTOP' --replay='$fixture' --record=- >&-"
expect_err "^fanotop: cannot write stdout: it is closed$"
expect_status 2 sh -c "exec '$FANOTOP' --replay='$fixture' -b >&-"
expect_err "^fanotop: cannot write stdout: it is closed$"

# ---- every line malformed: status 2 ----
{
    head -n 1 "$fixture"
    echo 'not,a,record'
    echo '2026-13-45T99:00:00Z,x,y,z,,,,,,open,/a'
} >"$S/bad.csv"
expect_status 2 "$FANOTOP" --replay="$S/bad.csv" --record=-
grep -q "^fanotop: replay: 2 malformed lines skipped, first at line 2: " "$SCRATCH/err" ||
    fail "no notice of the malformed lines: $(cat "$SCRATCH/err")"
expect_status 2 "$FANOTOP" --replay="$S/bad.csv" -b
printf '{"time":1}\nnot json\n' >"$S/bad.jsonl"
expect_status 2 "$FANOTOP" --replay="$S/bad.jsonl" --record=-

# ---- --log-depth ----
expect_status 2 "$FANOTOP" --replay="$fixture" -b --log-depth=1073741824
expect_err "^fanotop: --log-depth takes a number from 1 to 16777216, not '1073741824'"
expect_status 0 "$FANOTOP" --replay="$fixture" -b -v events --log-depth=16777216
[ "$(grep -c ' /etc/hosts$' "$SCRATCH/out")" = 3 ] || fail "the events view at the largest --log-depth: $(cat "$SCRATCH/out")"

# ---- a 64 KiB filter ----
long=$("$PY" -c 'print("a" * 65536 + "(")')
expect_status 2 "$FANOTOP" --replay="$fixture" -b -f "$long"
expect_err "^fanotop: invalid filter '\.\.\.a+\(' \(65537 bytes, shown from offset 65409 to 65537\): .*parenthes.* at offset 65537$"
[ "$(wc -c <"$SCRATCH/err")" -lt 1024 ] || fail "the message is $(wc -c <"$SCRATCH/err") bytes long"

# ---- the screen: the same two ----
. "$TESTS_DIR/ui_lib.sh"
# A valid filter longer than the prompt is not cut behind the user's back.
ui_start -- --replay="$fixture" --no-config -f "$("$PY" -c 'print("x?" * 4000)')"
wait_for "replay finished"
keys F4
wait_for "the filter is 8000 bytes, more than the prompt holds \(4095\): change it with -f"
keys q
wait_exit 0
# A recording whose every line is malformed: status 2 from the screen too.
ui_start -- --replay="$S/bad.csv" --no-config
wait_for "malformed lines skipped"
keys q
wait_exit 2
exit 0
