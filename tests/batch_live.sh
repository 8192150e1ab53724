# Batch mode on the real kernel (root): a followed command's files show in
# the final snapshot and its exit status becomes ours; SIGTERM ends a
# periodic batch run cleanly after full snapshots.
. "$TESTS_DIR/lib.sh"
need_root

T=$(mount_tmpfs)

"$FANOTOP" --batch --format=csv -v paths "$T" \
    -- sh -c "echo x >'$T/a'; cat '$T/a' >/dev/null; exit 5" >"$SCRATCH/out" 2>"$SCRATCH/err"
rc=$?
[ "$rc" = 5 ] || fail "exit status $rc, want the command's 5; stderr: $(cat "$SCRATCH/err")"
head -n 1 "$SCRATCH/out" | grep -q '^path,events,open,access,modify,close_write,' ||
    fail "no CSV header: $(head -n 1 "$SCRATCH/out")"
# path,events,open,access,modify,close_write,close_nowrite,open_exec,attrib,create
row=$(grep "^$T/a," "$SCRATCH/out" | tail -n 1)
[ -n "$row" ] || fail "no row for $T/a: $(cat "$SCRATCH/out")"
echo "$row" | awk -F, '$5 < 1 || $6 < 1 || $10 < 1 { exit 1 }' ||
    fail "row for $T/a lacks modify, close_write or create: $row"

# Periodic snapshots until SIGTERM; every one complete, exit status 0.
"$FANOTOP" --batch -d 0.2 -v types "$T" >"$SCRATCH/out2" 2>"$SCRATCH/err2" &
pid=$!
sleep 1
for i in 1 2 3; do cat "$T/a" >/dev/null; done
sleep 0.6
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" = 0 ] || fail "after SIGTERM: exit status $rc; stderr: $(cat "$SCRATCH/err2")"
n=$(grep -c '^fanotop - ' "$SCRATCH/out2")
[ "$n" -ge 3 ] || fail "only $n snapshots in 1.6 s at --delay 0.2"
[ "$(grep -c '^type ' "$SCRATCH/out2")" = "$n" ] || fail "a snapshot lacks its column header"
grep -qE '^access +[0-9]+' "$SCRATCH/out2" || fail "no access row: $(cat "$SCRATCH/out2")"
exit 0
