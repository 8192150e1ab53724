# No leaks and no invalid memory use, by valgrind's memcheck: a replay in
# batch mode (store, views, filter and CSV output), a replay recorded back
# out, and a short live capture with activity on a scratch tmpfs. Skipped
# in sanitizer builds (ASan's own leak check runs there instead). PCRE2's
# JIT code is turned off: its vector reads look like errors to memcheck.
. "$TESTS_DIR/lib.sh"
need_root
[ -z "${SAN_CFLAGS:-}" ] || skip "sanitizer build: memcheck cannot run it (ASan's LeakSanitizer checks there)"
command -v valgrind >/dev/null 2>&1 || skip "valgrind is not installed"
fixture="$TESTS_DIR/fixtures/ui_basic.csv"

vg() { # vg NAME ARGS...: fanotop ARGS under memcheck, failing on any error or leak
    name=$1
    shift
    FANOTOP_NO_JIT=1 valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --log-file="$SCRATCH/vg-$name.log" \
        "$FANOTOP" "$@" >"$SCRATCH/vg-$name.out" 2>"$SCRATCH/vg-$name.err"
    rc=$?
    [ $rc != 99 ] || fail "valgrind ($name): $(head -c 3000 "$SCRATCH/vg-$name.log")"
    [ $rc = 0 ] || fail "fanotop under valgrind ($name) exited $rc: $(cat "$SCRATCH/vg-$name.err")"
}

vg batch --replay="$fixture" -b -n2 -d 0.1 -f 'comm:nginx|cat !\.tmp$'
grep -q access.log "$SCRATCH/vg-batch.out" || fail "batch under valgrind printed no rows"
vg batch-csv --replay="$fixture" -b -n1 -v processes --format=csv
vg rerecord --replay="$fixture" --record="$SCRATCH/again.jsonl" --format=jsonl

dir=$(mount_tmpfs)
(for i in $(seq 200); do echo $i >"$dir/f$((i % 20))"; cat "$dir/f$((i % 20))" >/dev/null; sleep 0.01; done) &
vg live --record="$SCRATCH/live.csv" --duration=3 "$dir"
wait
grep -q "$dir/f" "$SCRATCH/live.csv" || fail "the live run under valgrind recorded nothing"
exit 0
