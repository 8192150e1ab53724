# Process names: 1000 short-lived `cat FILE` processes are named cat on at
# least 99% of the events on FILE (the exec event names them, though /proc is
# gone when the events are read), and, where the kernel reports forks, carry
# their parent and uid, while both CPUs are busy and another process reads
# the same filesystem flat out; a pid reused after a second by a process
# that did not exec is not taken for the old one.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"

dir=$(mount_tmpfs)
f="$dir/catme"
echo data >"$f"
rec="$SCRATCH/names.csv"
fanotop_start "$rec" --verbose "$dir"
echo data >"$dir/other"
loads=
for n in 1 2; do
    sh -c 'while :; do :; done' &
    loads="$loads $!"
done
"$PY" -c 'import sys
while True: open(sys.argv[1]).read()' "$dir/other" &
loads="$loads $!"
at_exit "kill $loads 2>/dev/null"
i=0
while [ $i -lt 1000 ]; do
    cat "$f" >/dev/null
    i=$((i + 1))
done
kill $loads
fanotop_stop
"$PY" "$TESTS_DIR/capture_check.py" comm "$rec" "$f" cat 99 || fail "cat loop misnamed"
if ! grep -q "no process events" "$SCRATCH/fanotop.err"; then
    "$PY" "$TESTS_DIR/capture_check.py" parent "$rec" "$f" $$ "$(id -u)" 99 ||
        fail "cat loop without parent or uid"
fi

# Pid reuse: a cat reads the file, exits; 1.5 s later a forked (not exec'd)
# python child gets the same pid (ns_last_pid) and reads it too.
[ -w /proc/sys/kernel/ns_last_pid ] || skip "cannot choose pids (ns_last_pid)"
rec="$SCRATCH/reuse.csv"
fanotop_start "$rec" "$dir"
"$PY" - "$f" >"$SCRATCH/reuse.out" <<'PY' || fail "pid reuse helper failed"
import os, subprocess, sys, time
f = sys.argv[1]
comm = open("/proc/self/comm").read().strip()
for attempt in range(20):
    p = subprocess.Popen(["cat", f], stdout=subprocess.DEVNULL)
    p.wait()
    time.sleep(1.5)
    with open("/proc/sys/kernel/ns_last_pid", "w") as k:
        k.write(str(p.pid - 1))
    pid = os.fork()
    if pid == 0:
        open(f).read()
        os._exit(0)
    os.waitpid(pid, 0)
    if pid == p.pid:
        print(pid, comm)
        sys.exit(0)
print("none")
PY
fanotop_stop
read -r pid comm <"$SCRATCH/reuse.out"
[ "$pid" != none ] || skip "could not get the same pid twice"
"$PY" - "$rec" "$f" "$pid" "$comm" <<'PY' || fail "pid reuse mislabelled"
import csv, sys
rec, f, pid, comm = sys.argv[1:]
rows = [r for r in csv.DictReader(open(rec, newline="")) if r["path"] == f and r["pid"] == pid]
comms = [r["comm"] for r in rows]
if not comms or comms[0] != "cat" or comms[-1] != comm or sorted(comms, key=lambda c: c != "cat") != comms:
    sys.exit("events of pid %s on %s: %r, want cat... then %s..." % (pid, f, comms, comm))
PY
exit 0
