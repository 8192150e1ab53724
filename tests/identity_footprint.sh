# fanotop opens no file of another program to name processes: a second
# fanotop watching the whole system, filtered on the first one's pid, sees
# it open or read none of the programs and scripts that run meanwhile (it
# names them from the kernel's exec events and /proc/PID, which opens
# nothing of theirs; a process that exits while its /proc/PID is read can
# leave fanotop the last holder of its files, whose close then shows as
# fanotop's: counted, not failed).
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"

dir=$(mount_tmpfs)
cp "$(command -v cat)" "$dir/mycat"
printf '#!/usr/bin/env bash\nexec cat "$1"\n' >"$dir/wrap"
printf '#!/bin/sh\n"%s/mycat" "$1"\n' "$dir" >"$dir/script"
chmod +x "$dir/wrap" "$dir/script"
echo data >"$dir/f"

fanotop_start "$SCRATCH/watched.csv" "$dir"
first=$FPID
fanotop_start "$SCRATCH/monitor.csv" -f "pid:$first"
second=$FPID
i=0
while [ $i -lt 30 ]; do
    "$dir/mycat" "$dir/f" >/dev/null
    "$dir/wrap" "$dir/f" >/dev/null
    "$dir/script" "$dir/f" >/dev/null
    sh -c 'exec cat "$1"' sh "$dir/f" >/dev/null
    i=$((i + 1))
done
# The monitor stops first: every event it has by the first one's pid comes
# from while that pid was the first fanotop (pids are reused within seconds).
fanotop_stop
FPID=$first
fanotop_stop
"$PY" "$TESTS_DIR/capture_check.py" comm "$SCRATCH/watched.csv" "$dir/f" cat 0 >/dev/null ||
    fail "nothing recorded on $dir/f"
programs=$(for p in cat env bash sh dash; do command -v $p >/dev/null && readlink -f "$(command -v $p)"; done)
"$PY" - "$SCRATCH/monitor.csv" "$first" "$dir" $programs <<'PY' || fail "fanotop opened programs"
import csv, sys
rec, pid, d = sys.argv[1:4]
programs = set(sys.argv[4:])
rows = [r for r in csv.DictReader(open(rec, newline="")) if r["pid"] == pid]
print("%d events by the watching fanotop: %s" % (len(rows), sorted({r["path"] for r in rows})[:8]))
theirs = [r for r in rows if r["path"] in programs or r["path"].startswith(d + "/")]
bad = [r for r in theirs if set(r["event"].split("|")) - {"close_nowrite"}]
print("%d closes of their files (as last holder), %d other events" % (len(theirs) - len(bad), len(bad)))
if bad:
    sys.exit("fanotop opened %d files of the programs it named, e.g. %r" % (len(bad), sorted({(r["event"], r["path"]) for r in bad})))
PY
exit 0
