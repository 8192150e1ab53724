# Process identity is versioned: a change of user (setresuid without exec),
# of name (PR_SET_NAME), of cgroup, or an exec applies to the events after
# it and to none before. 20 of 20 privilege drops and 20 of 20 renames are
# named right on both sides of the change; a cgroup move is named within a
# second (writes each 0.1 s after it: from the one 1.0 s after it on at the
# latest, and a program started after it at once); a fork child's write before it execs is
# named after its parent program (>= 98 of 100, on tmpfs and the root fs).
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
WORK="$TESTS_DIR/identity_work.py"
pycomm=$("$PY" -c 'print(open("/proc/self/comm").read().strip())')

dir=$(mount_tmpfs)
chmod 711 "$SCRATCH" # the user dropped to reaches DIR through it
chmod 1777 "$dir"
rec="$SCRATCH/changes.csv"
fanotop_start "$rec" --verbose "$dir"
grep -q "no process events" "$SCRATCH/fanotop.err" &&
    skip "no process events from the kernel (proc connector)"
"$PY" "$WORK" uid "$dir" "$rec" 20 || fail "privilege drop workload"
"$PY" "$WORK" comm "$dir" "$rec" 20 || fail "rename workload"
fanotop_stop
nobody=$(getent passwd 65534 | cut -d: -f1)
for i in $(seq 0 19); do
    "$PY" "$TESTS_DIR/capture_check.py" field "$rec" "$dir/uid-pre-$i" uid 0 ||
        fail "an event before setresuid is not root's"
    "$PY" "$TESTS_DIR/capture_check.py" field "$rec" "$dir/uid-post-$i" uid 65534 ||
        fail "an event after setresuid(65534) is not uid 65534's"
    "$PY" "$TESTS_DIR/capture_check.py" field "$rec" "$dir/uid-post-$i" user "${nobody:-65534}" ||
        fail "an event after setresuid(65534) is not ${nobody:-65534}'s"
    "$PY" "$TESTS_DIR/capture_check.py" field "$rec" "$dir/comm-pre-$i" comm "$pycomm" ||
        fail "an event before PR_SET_NAME has the new name"
    "$PY" "$TESTS_DIR/capture_check.py" field "$rec" "$dir/comm-post-$i" comm "renamed-$i" ||
        fail "an event after PR_SET_NAME keeps the old name"
done
echo "privilege drop: 20/20 right user before and after; PR_SET_NAME: 20/20"

# Fork then exec: the child's write comes before its exec.
root=$(rootfs_dir)
for d in "$dir" "$root"; do
    rec="$SCRATCH/forkexec.csv"
    fanotop_start "$rec" "$d"
    "$PY" "$WORK" forkexec "$d" - 100 || fail "fork-exec workload"
    fanotop_stop
    "$PY" "$TESTS_DIR/capture_check.py" share "$rec" "$d/fe-" comm "$pycomm" 98 ||
        fail "fork-then-exec writes on $d not named after the parent"
done

# A cgroup move: a scratch directory in the cgroup v2 hierarchy.
cg2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$cg2" ] || skip "no cgroup v2 hierarchy mounted: cgroup moves not tested"
unit="fanotop-test-$$.scope"
cg="$cg2/$unit"
mkdir "$cg" || skip "cannot make a cgroup in $cg2"
at_exit "rmdir '$cg' 2>/dev/null"
echo x >"$dir/cg-exec"
rec="$SCRATCH/cgroup.csv"
fanotop_start "$rec" "$dir"
"$PY" "$WORK" cgroup "$dir" "$rec" "$cg" || fail "cgroup workload"
fanotop_stop
"$PY" - "$rec" "$dir" "$unit" <<'PY' || fail "cgroup move"
import csv, sys
rec, d, unit = sys.argv[1:]
rows = list(csv.DictReader(open(rec, newline="")))
def units(name):
    got = [r["unit"] for r in rows if r["path"] == d + "/" + name]
    if not got:
        sys.exit("no event on " + name)
    return set(got)
if unit in units("cg-pre"):
    sys.exit("an event before the move carries the new unit")
named = [k for k in range(13) if units("cg-post-%d" % k) == {unit}]
if not named or named != list(range(named[0], 13)) or named[0] > 10:
    sys.exit("writes 0.0 .. 1.2 s after the move named with the new unit: %r" % named)
if units("cg-exec") != {unit}:
    sys.exit("a program started after the move: unit %r, want %s" % (units("cg-exec"), unit))
print("cgroup move: named from the write %.1f s after it on" % (named[0] / 10))
PY
exit 0
