#!/usr/bin/env python3
"""How fast the terminal UI answers keys while events pour in.

The UI runs in a detached tmux pane on a replay paced at RATE events/s over
PATHS distinct paths (the replay source feeds the same ring, store and views
as live capture, and needs no root). Once the store holds every path, keys
are sent one at a time and the pane is polled until the key's effect shows;
the time from send to effect is the latency. tmux's own polling adds a few
milliseconds, so the figures are an upper bound.

usage: ui_latency.py --fanotop=BIN [--paths=1000000] [--rate=200000]
                     [--rounds=15] [--results=DIR]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HEADER = "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path\n"


def write_recording(path, paths, rate, seconds):
    """PATHS distinct files first, then the same files again, RATE events/s
    for SECONDS in all, with recorded times that pace the replay."""
    total = int(rate * seconds)
    step_us = 1e6 / rate
    base = 1795426200
    with open(path, "w") as f:
        f.write(HEADER)
        lines = []
        last_sec, t = None, ""
        for i in range(total):
            us = int(i * step_us)
            sec, frac = divmod(us, 1000000)
            if sec != last_sec:
                last_sec = sec
                t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(base + sec))
            pid = 1000 + i % 50
            n = i % paths
            lines.append("%s.%06dZ,%d,%d,1,0,root,worker%d,/usr/bin/worker,load.service,open,"
                         "/srv/data/d%03d/f%07d\n" % (t, frac, pid, pid, pid % 50, n // 4096, n))
            if len(lines) == 65536:
                f.writelines(lines)
                lines = []
        f.writelines(lines)
    return total


class Pane:
    def __init__(self, name, cols=160, rows=40):
        self.name = name
        self.cols, self.rows = cols, rows

    def start(self, cmd):
        subprocess.run(["tmux", "kill-session", "-t", self.name], stderr=subprocess.DEVNULL)
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(self.cols),
                        "-y", str(self.rows), cmd], check=True)

    def text(self, escapes=False):
        args = ["tmux", "capture-pane", "-p", "-t", self.name] + (["-e"] if escapes else [])
        return subprocess.run(args, capture_output=True, text=True,
                              errors="replace").stdout

    def keys(self, *k):
        subprocess.run(["tmux", "send-keys", "-t", self.name] + list(k), check=True)

    def stop(self):
        subprocess.run(["tmux", "kill-session", "-t", self.name], stderr=subprocess.DEVNULL)

    def wait(self, pred, timeout, escapes=False):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.text(escapes)
            if pred(screen):
                return screen
            time.sleep(0.002)
        return None


def header_rows(screen):
    """The total row count from the header's "Rows: shown/total"."""
    for word in screen.split():
        if "/" in word and word.split("/")[0].isdigit():
            try:
                return int(word.split("/")[1])
            except ValueError:
                pass
    return 0


def measure(pane, key, pred, escapes=False):
    t0 = time.monotonic()
    pane.keys(key)
    if pane.wait(pred, 10, escapes) is None:
        return None
    return (time.monotonic() - t0) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fanotop", required=True)
    ap.add_argument("--paths", type=int, default=1000000)
    ap.add_argument("--rate", type=int, default=200000)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--results")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="fanotop-uilat.")
    rec = os.path.join(work, "load.csv")
    # Long enough to fill the store and then keep the rate up while measuring.
    seconds = a.paths / a.rate + 25 + a.rounds * 1.2
    total = write_recording(rec, a.paths, a.rate, seconds)
    pane = Pane("fanotop-uilat-%d" % os.getpid())
    env = "env TERM=xterm-256color XDG_CONFIG_HOME=%s" % work
    pane.start("%s %s --no-config --replay=%s --replay-speed=1; sleep 30" % (env, a.fanotop, rec))
    out = ["fanotop UI key latency, %s" % time.strftime("%Y%m%d-%H%M%S"),
           "load: replay paced at %d events/s over %d distinct paths (%d events, %.0f s); "
           "pane 160x40; %d rounds" % (a.rate, a.paths, total, seconds, a.rounds)]
    try:
        if pane.wait(lambda s: header_rows(s) >= a.paths, a.paths / a.rate + 60) is None:
            sys.exit("the store never reached %d paths: %s" % (a.paths, pane.text()))
        results = {}
        for _ in range(a.rounds):
            # Each key's effect is checked on the screen, never assumed.
            lat = {
                "2 (processes view)": measure(pane, "2", lambda s: "View: processes" in s),
                "1 (paths view, 1M rows)": measure(pane, "1", lambda s: "View: paths" in s),
            }
            before = pane.text(escapes=True)
            lat["Down (cursor)"] = measure(pane, "Down", lambda s: s != before, escapes=True)
            # F: the cursor follows its row through every refresh after it.
            lat["F (follow the row)"] = measure(pane, "F", lambda s: "Following:" in s)
            lat["F (stop following)"] = measure(pane, "F", lambda s: "Following:" not in s)
            lat["\\ (filter prompt)"] = measure(pane, "\\", lambda s: "Filter:" in s.splitlines()[-1])
            lat["Escape (close prompt)"] = measure(pane, "Escape",
                                                   lambda s: "Filter:" not in s.splitlines()[-1])
            for k, v in lat.items():
                results.setdefault(k, []).append(v)
            time.sleep(0.5)
        still = pane.text()
        out.append("  %-26s %10s %10s %10s" % ("key", "median ms", "p90 ms", "max ms"))
        for k, vals in results.items():
            ok = sorted(v for v in vals if v is not None)
            missed = len(vals) - len(ok)
            if not ok:
                out.append("  %-26s never answered" % k)
                continue
            p90 = ok[min(len(ok) - 1, int(round(0.9 * (len(ok) - 1))))]
            out.append("  %-26s %10.1f %10.1f %10.1f%s" % (
                k, statistics.median(ok), p90, ok[-1],
                "  (%d unanswered)" % missed if missed else ""))
        hdr = still.splitlines()[0] if still else ""
        out.append("  header at the end: " + " ".join(hdr.split()))
    finally:
        pane.stop()
        subprocess.run(["rm", "-rf", work])
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if a.results:
        os.makedirs(a.results, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for name in ("ui-latency-%s.txt" % stamp, "ui-latency-latest.txt"):
            with open(os.path.join(a.results, name), "w") as f:
                f.write(text)


if __name__ == "__main__":
    main()
