#!/usr/bin/env python3
"""Long runs of the terminal UI on a live scratch tmpfs (root), outside CI.

1. Ten million events: a flood over 64 files; RSS and open descriptors are
   sampled until the header counts 10 000 000 events; both must stay flat
   once the store holds every path.
2. Eviction: --max-rows=ROWS while every event names a path never seen
   before (create and unlink u-0, u-1, ...) for MINUTES; RSS must stay flat
   after the cap is reached, the header counts evictions, and the bytes per
   stored row are (RSS at the cap - RSS at start) / ROWS.

usage: soak.py --fanotop=BIN --fsops=BIN [--minutes=30] [--rows=200000]
               [--events=10000000] [--results=DIR]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time


class Pane:
    def __init__(self, name):
        self.name = name

    def start(self, cmd):
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "160", "-y", "40",
                        cmd], check=True)

    def text(self):
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, errors="replace").stdout

    def stop(self):
        subprocess.run(["tmux", "kill-session", "-t", self.name], stderr=subprocess.DEVNULL)


def header(pane):
    """(events, rows, evicted) from the header line."""
    t = pane.text()
    ev = re.search(r"Events: (\d+)", t)
    rows = re.search(r"Rows: \d+/(\d+)", t)
    evicted = re.search(r"Evicted: (\d+)", t)
    return (int(ev.group(1)) if ev else 0, int(rows.group(1)) if rows else 0,
            int(evicted.group(1)) if evicted else 0)


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def fanotop_pid(marker):
    for _ in range(100):
        out = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout
        pids = [int(p) for p in out.split()]
        for p in pids:
            try:
                if open("/proc/%d/comm" % p).read().strip() == "fanotop":
                    return p
            except OSError:
                pass
        time.sleep(0.1)
    sys.exit("fanotop did not start")


def run(a, out, name, extra, load_cmd, until):
    """Start the UI with EXTRA args on a fresh tmpfs, run LOAD_CMD, sample
    every 5 s until UNTIL(samples) says stop. Returns the samples."""
    work = tempfile.mkdtemp(prefix="fanotop-soak.")
    d = os.path.join(work, "fs")
    os.mkdir(d)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256m", "soak", d], check=True)
    pane = Pane("fanotop-soak-%d" % os.getpid())
    load = None
    samples = []
    try:
        pane.start("env XDG_CONFIG_HOME=%s %s --no-config %s %s" % (work, a.fanotop, extra, d))
        pid = fanotop_pid(d)
        time.sleep(1)
        base = (rss_kb(pid), fds(pid))
        load = subprocess.Popen(load_cmd(d), stdout=subprocess.DEVNULL)
        t0 = time.monotonic()
        while True:
            time.sleep(5)
            ev, rows, evicted = header(pane)
            samples.append((time.monotonic() - t0, ev, rows, evicted, rss_kb(pid), fds(pid)))
            s = samples[-1]
            print("  %s %6.0f s  events %10d  rows %8d  evicted %9d  RSS %7d kB  fds %d"
                  % (name, *s), flush=True)
            if until(samples):
                break
        # Event fds live for one read batch: count them once the load is over.
        load.kill()
        load.wait()
        load = None
        time.sleep(3)
        return base, samples, fds(pid)
    finally:
        if load:
            load.kill()
            load.wait()
        pane.stop()
        subprocess.run(["umount", "-l", d])
        subprocess.run(["rm", "-rf", work])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fanotop", required=True)
    ap.add_argument("--fsops", required=True)
    ap.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 30)))
    ap.add_argument("--rows", type=int, default=200000)
    ap.add_argument("--events", type=int, default=10000000)
    ap.add_argument("--results")
    a = ap.parse_args()
    out = ["fanotop soak, %s; %s" % (time.strftime("%Y%m%d-%H%M%S"), " ".join(sys.argv))]
    failures = []

    print("== %d events over 64 files" % a.events, flush=True)
    flood = lambda d: ["sh", "-c", "while %s flood %s 100000; do :; done" % (a.fsops, d)]
    base, s, fds_after = run(a, out, "flood", "", flood, lambda s: s[-1][1] >= a.events)
    half = len(s) // 2
    warm = [x for x in s[1:half + 1]] or s
    rss_warm = max(x[4] for x in warm)
    rss_end = max(x[4] for x in s[half:])
    fd_load = [x[5] for x in s]
    out.append("flood: %d events in %.0f s; RSS %d kB at start, %d kB (max) in the first "
               "half, %d kB in the second; open fds %d at start, %d-%d under load (event fds "
               "of a read batch), %d after" % (s[-1][1], s[-1][0], base[0], rss_warm, rss_end,
                                              base[1], min(fd_load), max(fd_load), fds_after))
    if rss_end > rss_warm * 1.10 + 1024:
        failures.append("RSS grew during the flood: %d -> %d kB" % (rss_warm, rss_end))
    if fds_after != base[1]:
        failures.append("open descriptors: %d at start, %d after" % (base[1], fds_after))

    print("== --max-rows=%d, new paths for %g minutes" % (a.rows, a.minutes), flush=True)
    churn = lambda d: [a.fsops, "churn", d, "0"]
    base, s, fds_after = run(a, out, "evict", "--max-rows=%d" % a.rows, churn,
                             lambda s: s[-1][0] >= a.minutes * 60)
    capped = [x for x in s if x[2] >= a.rows]
    if not capped:
        failures.append("the store never reached --max-rows=%d" % a.rows)
    else:
        at_cap = capped[0]
        rss_after = max(x[4] for x in capped)
        per_row = (at_cap[4] - base[0]) * 1024.0 / a.rows
        out.append("evict: cap of %d rows reached after %.0f s at %d kB (started at %d kB); "
                   "%.0f bytes per stored row; afterwards RSS max %d kB, end %d kB; %d events, "
                   "%d evicted; open fds %d at start, %d after"
                   % (a.rows, at_cap[0], at_cap[4], base[0], per_row, rss_after, s[-1][4],
                      s[-1][1], s[-1][3], base[1], fds_after))
        if fds_after != base[1]:
            failures.append("open descriptors: %d at start, %d after" % (base[1], fds_after))
        # The ring and the event log fill for a while after the cap: compare the
        # second half of the capped time with its middle.
        mid = capped[len(capped) // 2][4]
        late = max(x[4] for x in capped[len(capped) // 2:])
        if late > mid * 1.10 + 1024:
            failures.append("RSS grew after the cap: %d -> %d kB" % (mid, late))
        if s[-1][3] == 0:
            failures.append("the header counts no evictions")
    out += ["FAIL: " + f for f in failures] or ["all flat"]
    text = "\n".join(out) + "\n"
    print(text)
    if a.results:
        os.makedirs(a.results, exist_ok=True)
        with open(os.path.join(a.results, "soak-latest.txt"), "w") as f:
            f.write(text)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
