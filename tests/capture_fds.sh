# Every event fd is closed: fanotop's open fd count is the same before and
# after ~100k operations (the kernel merges some of their events).
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"

# fanotop holds an fd per event only while it handles it, and exec events of
# the whole machine still arrive (they name processes): take the fewest open
# fds of a few samples as the resting count.
resting_fds() {
    min=
    for i in 1 2 3 4 5 6 7 8 9 10; do
        n=$(ls /proc/"$FPID"/fd | wc -l)
        [ -z "$min" ] || [ "$n" -lt "$min" ] && min=$n
        sleep 0.1
    done
    echo "$min"
}

dir=$(mount_tmpfs)
rec="$SCRATCH/fds.csv"
fanotop_start "$rec" "$dir"
"$FSOPS" flood "$dir" 1000 >/dev/null
settle "$rec"
before=$(resting_fds)
"$FSOPS" flood "$dir" 100000 >/dev/null
settle "$rec"
after=$(resting_fds)
fanotop_stop
[ "$before" = "$after" ] || fail "open fds went from $before to $after"
"$PY" "$TESTS_DIR/capture_check.py" count "$rec" "$dir/flood-" 10000 || fail "events missing"
echo "fds: $before before, $after after"
exit 0
