#!/usr/bin/env python3
"""Side-by-side benchmark of file-access monitors on the same load, same run.

Run it with `make bench-compare` (about 10 minutes here; BENCH_ARGS=--quick
for one minute, --full for every mode with 1 and 2 processes on both
filesystems, 200000 operations), as root, since every monitor here needs
fanotify. Other knobs: --fs, --modes, --monitors, --ops, --files, --reps,
--only=load,backlog,sibling (which kinds of rows to run; default all).
Method:

- Load: bench/loadgen performs OPS file operations (open+close, open+read+
  close, open+write+close or create+close+unlink) as fast as it can from 1 or
  2 forked processes, each operation on a different file in round robin over
  FILES files (20000 by default). The kernel merges a queued event into a new
  one for the same object and process, so counts are exact only if a process
  comes back to a file after more events than the kernel's merge window
  (16384): loadgen prints that assumption and the expected count per type.
  create+unlink runs OPS/4 operations (it is slower; on ext4 bound by the
  journal). The load runs in a scratch tmpfs we mount and in a directory of
  the root filesystem (/var/tmp); the monitors write to a second tmpfs.
- Monitors, each started before the load and stopped after it: none;
  fatrace -c -o FILE (marks the filesystem of its working directory, which is
  the load directory); fnotifystat -n -v -i DIR > FILE (marks every mount,
  prints only DIR); minreader DIR (bench/minreader.c: one fd-mode group, the
  same mask and filesystem mark as fanotop's fd group, read + close + count,
  no path resolution: the floor of any monitor); fanotop --record=FILE DIR
  (CSV); fanotop DIR, the terminal UI, in a detached tmux (tmux -L <own
  socket> new-session -d -x 200 -y 50).
- A monitor is "ready" when its fanotify marks show in /proc/PID/fdinfo and
  have not changed for 100 ms. After the load, we wait until it has drained
  its queue: its CPU time grows by less than 5% of the wall time over 0.3 s
  and its output file has stopped growing (at most --drain-timeout seconds).
  A monitor that exits by itself meanwhile is reported with its last
  message (fatrace 0.17 stops on a queue overflow: "unexpected event info
  type"); its CPU time and peak RSS then come from wait4's rusage.
- Figures per run: load ops/s (loadgen's own clock, from the start signal to
  the last worker's exit); slowdown = ops/s without a monitor (same
  repetition) / ops/s with it; monitor CPU = on-CPU time of all its threads
  (/proc/PID/task/*/schedstat) from the load's start until drained;
  ns/event = that CPU / events it recorded on the load's files; capt% =
  events recorded on the load's files / expected, over the event types the
  tool can tell apart (see TYPES below; fatrace and fnotifystat print W for
  both modify and close_write, so modify is not scored for them; fatrace
  names only the directory of a create or delete, fnotifystat none);
  "events on the load's files" = events attributed to loadgen's worker pids,
  which touch nothing else after the start signal. For the UI, whose screen
  has no per-pid totals, the counts per type of its types view (key 3),
  read with tmux capture-pane once they have stood still for longer than a
  refresh: every event in DIR is the load's. Kernel overflows and ring
  losses as the tool reports them ('-': it does not report them); peak RSS
  = VmHWM just before it is stopped.
- Backlog drain (after each filesystem's table; --no-backlog skips it):
  fanotop --record --unlimited-queue is stopped with SIGSTOP while a read
  load of OPS operations, each on a file of its own, queues every event in
  the kernel, then continued; events (types) and kernel records drained per
  second, from SIGCONT to the last growth of its output, and CPU per event.
- Each configuration runs every monitor REPS times (3), with the monitor order
  rotated per repetition; the table shows the median and [min-max].
  fanotop's figures are also given as ratios to minreader's.
- Sibling row (after each filesystem's tables; --only=sibling runs just
  these): the cost of a narrow watch to the rest of its filesystem. Each
  monitor watches DIR/watched while a read load of OPS operations runs flat
  out in DIR/sibling, a sibling directory on the same filesystem; the
  figure ("speed") is the load's speed with the monitor over its speed in
  a bare run just before, 1.00 = no cost; "load CPU" is the same from the
  load's CPU time (bare over monitored), which others' work on a shared
  machine disturbs less. fanotop watches DIR/watched as
  its PATH; fatrace, which cannot watch less than a filesystem, runs in
  DIR/watched (-c); fnotifystat -i DIR/watched marks every mount and keeps
  what is under DIR/watched. Meanwhile, before and after the load, files
  are written under DIR/watched: in it, in directories created after the
  monitor started (DIR/watched/new/sub) and in a directory moved in from
  outside; "PATH capt" is the share of those files whose close_write (W) the
  monitor recorded. A monitor that marks directories one by one
  (fanotop) is given until its mark on a new directory shows in
  /proc/PID/fdinfo (at most 2 s) before files are written there.
- Noise: the machine is shared; on the root filesystem, every monitor with a
  filesystem mark also receives (and must discard) other processes' events.
"""
import argparse
import csv
import datetime
import glob
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

# Event types each operation produces on its file, and which the scoring uses.
MODE_TYPES = {
    "open": ["open", "close_nowrite"],
    "read": ["open", "access", "close_nowrite"],
    "write": ["open", "modify", "close_write"],
    "create": ["create", "open", "close_write", "delete"],
}
# What each tool can tell apart (scored types are MODE_TYPES & TYPES[tool]).
FD_TYPES = {"open", "access", "modify", "close_write", "close_nowrite"}
TYPES = {
    "fanotop-record": FD_TYPES | {"create", "delete"},
    "fanotop-ui": FD_TYPES | {"create", "delete"},
    "minreader": FD_TYPES,
    "fatrace": {"open", "access", "close_write", "close_nowrite", "create", "delete"},
    "fnotifystat": {"open", "access", "close_write", "close_nowrite"},
}
# Known limits of a tool, shown with its figures.
TOOL_NOTES = {
    ("fatrace", "create"): "fatrace asks for no names (FAN_REPORT_FID), so the kernel merges "
                           "its queued creates (deletes) in one directory into one",
}
ALL_MONITORS = ["none", "fatrace", "fnotifystat", "minreader", "fanotop-record", "fanotop-ui"]
# name: ([(fs, mode, procs)], ops, reps). Default: under 10 minutes here.
PRESETS = {
    "quick": ([("tmpfs", "read", 1), ("tmpfs", "read", 2), ("tmpfs", "create", 1)], 100000, 1),
    "default": ([("tmpfs", m, 1) for m in ("open", "read", "write", "create")] +
                [("tmpfs", "read", 2)] +
                [("rootfs", m, 1) for m in ("read", "write", "create")] +
                [("rootfs", "read", 2)], 100000, 3),
    "full": ([(fs, m, p) for fs in ("tmpfs", "rootfs") for p in (1, 2)
              for m in ("open", "read", "write", "create")], 200000, 3),
}
# Kinds of rows (--only): the per-mode tables, the backlog drain, the sibling row.
ROW_KINDS = ["load", "backlog", "sibling"]
# create+unlink is 3 to 10 times slower (and on ext4 bound by the journal): fewer of them.
CREATE_SHARE = 4
SUMMARY_RE = re.compile(r"fanotop: (\d+) events, (\d+) kernel overflows, (\d+) ring losses")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---- process figures ------------------------------------------------------------------------

def cpu_ns(pid):
    """On-CPU time of all live threads of PID, ns (None when it is gone)."""
    total = 0
    try:
        for st in glob.glob("/proc/%d/task/*/schedstat" % pid):
            try:
                with open(st) as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
        if total == 0:  # schedstat off: fall back to clock ticks
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total = (int(fields[11]) + int(fields[12])) * 1000000000 // os.sysconf("SC_CLK_TCK")
    except OSError:
        return None
    return total


def vm_hwm_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def fanotify_marks(pid):
    """The fanotify mark lines of PID's fds, as a sorted tuple."""
    marks = []
    for fi in glob.glob("/proc/%d/fdinfo/*" % pid):
        try:
            with open(fi) as f:
                marks += [l.strip() for l in f if l.startswith("fanotify ") and
                          ("sdev:" in l or "mnt_id:" in l or "ino:" in l)]
        except OSError:
            pass
    return tuple(sorted(marks))


def kernel_dev(path):
    st = os.stat(path)
    return "%x" % ((os.major(st.st_dev) << 20) | os.minor(st.st_dev))


# ---- monitors -------------------------------------------------------------------------------

class Monitor:
    """One monitor run: start, wait ready, (load), wait drained, stop, parse."""

    def __init__(self, name, args, load_dir, out_dir, tag):
        self.name, self.args, self.dir = name, args, load_dir
        self.out = os.path.join(out_dir, "%s.%s.out" % (tag, name))
        self.err = self.out + ".err"
        self.proc = None
        self.pid = None
        self.notes = []
        self.early_exit = None
        self.tmux_sock = None
        self.status = None  # wait status, once reaped
        self.rusage = None
        self.extra = []  # more options for fanotop-record

    def command(self):
        a = self.args
        if self.name == "fatrace":
            return ["fatrace", "-c", "-o", self.out], None
        if self.name == "fnotifystat":
            return ["fnotifystat", "-n", "-v", "-i", self.dir], self.out
        if self.name == "minreader":
            return [a.minreader, self.dir], self.out
        if self.name == "fanotop-record":
            return [a.fanotop, "--record=" + self.out] + self.extra + [self.dir], None
        raise ValueError(self.name)

    def start(self):
        if self.name == "fanotop-ui":
            return self.start_tmux()
        cmd, stdout = self.command()
        out = open(stdout, "wb") if stdout else subprocess.DEVNULL
        with open(self.err, "wb") as err:
            self.proc = subprocess.Popen(cmd, cwd=self.dir, stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL)
        if stdout:
            out.close()
        self.pid = self.proc.pid
        return self.wait_ready()

    def start_tmux(self):
        self.tmux_sock = "fanotop-bench-%d" % os.getpid()
        shell_cmd = "exec %s %s 2>%s" % (sh_quote(self.args.fanotop), sh_quote(self.dir),
                                         sh_quote(self.err))
        subprocess.run(["tmux", "-L", self.tmux_sock, "kill-server"], stderr=subprocess.DEVNULL)
        env = dict(os.environ, TERM="xterm-256color")
        env.pop("TMUX", None)
        r = subprocess.run(["tmux", "-L", self.tmux_sock, "new-session", "-d", "-x", "200",
                            "-y", "50", shell_cmd], env=env, capture_output=True, text=True)
        if r.returncode != 0:
            self.notes.append("tmux failed: " + r.stderr.strip())
            return False
        r = subprocess.run(["tmux", "-L", self.tmux_sock, "list-panes", "-F", "#{pane_pid}"],
                           capture_output=True, text=True)
        try:
            self.pid = int(r.stdout.split()[0])
        except (ValueError, IndexError):
            self.notes.append("exited at once: " + last_line(self.err))
            return False
        return self.wait_ready()

    def give_up(self, res):
        """It did not start: stop what runs, note why in RES (returned)."""
        if self.pid and not self.exited():
            self.stop()
        res["notes"] += self.notes
        res["failed"] = True
        return res

    def exited(self):
        """Has it ended? Our own children are reaped here, keeping their rusage."""
        if self.proc is None:
            return not alive(self.pid)
        if self.status is None:
            pid, status, ru = os.wait4(self.pid, os.WNOHANG)
            if pid == 0:
                return False
            self.status, self.rusage = status, ru
        return True

    def cpu_ns(self):
        """CPU time so far, also after it has ended."""
        if self.rusage is not None or self.exited():
            return int((self.rusage.ru_utime + self.rusage.ru_stime) * 1e9)
        return cpu_ns(self.pid)

    def peak_rss_kib(self):
        if self.rusage is not None or self.exited():
            return self.rusage.ru_maxrss
        return vm_hwm_kib(self.pid)

    def wait_ready(self):
        want = kernel_dev(self.dir)
        deadline = time.monotonic() + 10
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            if self.exited():
                self.notes.append("exited at start: " + last_line(self.err))
                return False
            marks = fanotify_marks(self.pid)
            if marks != last:
                last, since = marks, time.monotonic()
            # The load's filesystem (or a mount) is marked and nothing changed for 100 ms.
            mine = any(("sdev:%s " % want) in m or "mnt_id:" in m for m in marks)
            if mine and time.monotonic() - since >= 0.1:
                return True
            time.sleep(0.02)
        self.notes.append("no fanotify mark after 10 s")
        return False

    def output_size(self):
        try:
            return os.path.getsize(self.out)
        except OSError:
            return 0

    def wait_drained(self):
        """Wait until the monitor has worked through what the load queued."""
        window = 0.3
        deadline = time.monotonic() + self.args.drain_timeout
        prev_cpu, prev_size = self.cpu_ns(), self.output_size()
        while time.monotonic() < deadline:
            if self.exited():
                self.early_exit = last_line(self.err)
                return
            time.sleep(window)
            c, s = self.cpu_ns(), self.output_size()
            if c is None or prev_cpu is None:
                return
            if c - prev_cpu < 0.05 * window * 1e9 and s == prev_size:
                return
            prev_cpu, prev_size = c, s
        self.notes.append("still busy %gs after the load" % self.args.drain_timeout)

    def ui_screen(self):
        """The UI's types view (key 3: one row per event type), once its figures have
        not changed for longer than a refresh (1 s): the UI takes what the capture
        thread queued for it only at its refresh."""
        if not alive(self.pid):
            return ""
        subprocess.run(["tmux", "-L", self.tmux_sock, "send-keys", "3"])
        text, since = "", time.monotonic()
        deadline = since + 10
        while time.monotonic() < deadline:
            time.sleep(0.1)
            r = subprocess.run(["tmux", "-L", self.tmux_sock, "capture-pane", "-p", "-t", "0"],
                               capture_output=True, text=True)
            # Only the counts: rates and the header's graph move without new events.
            key = repr((re.findall(r"Events: \d+", r.stdout), parse_ui_screen(r.stdout)))
            if "View: types" not in r.stdout or key != text:
                text, since = key, time.monotonic()
                screen = r.stdout
            elif time.monotonic() - since > 1.3:
                return screen
        self.notes.append("UI figures still changing after 10 s")
        return r.stdout

    def stop(self):
        """Stop it; returns its exit status (None if killed by us)."""
        if self.tmux_sock:
            if alive(self.pid):
                subprocess.run(["tmux", "-L", self.tmux_sock, "send-keys", "q"],
                               stderr=subprocess.DEVNULL)
                for _ in range(100):
                    if not alive(self.pid):
                        break
                    time.sleep(0.05)
                if alive(self.pid):
                    os.kill(self.pid, signal.SIGTERM)
            subprocess.run(["tmux", "-L", self.tmux_sock, "kill-server"],
                           stderr=subprocess.DEVNULL)
            return 0
        if not self.exited():
            os.kill(self.pid, signal.SIGINT)
            deadline = time.monotonic() + 20
            while not self.exited() and time.monotonic() < deadline:
                time.sleep(0.02)
            if not self.exited():
                self.notes.append("ignored SIGINT for 20 s: killed")
                os.kill(self.pid, signal.SIGKILL)
                _, self.status, self.rusage = os.wait4(self.pid, 0)
        self.proc.returncode = 0  # reaped by us: keep Popen from waiting again
        return os.waitstatus_to_exitcode(self.status)


def remove_files(*paths):
    for p in paths:
        try:
            os.unlink(p)
        except OSError:
            pass


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def last_line(path):
    try:
        with open(path, errors="replace") as f:
            lines = [l.strip() for l in f if l.strip()]
        return lines[-1] if lines else "(no message)"
    except OSError:
        return "(no message)"


# ---- output parsers: counts per type for the worker pids --------------------------------------

def parse_fatrace(path, pids, mode):
    # "comm(pid): FLAGS path"; O open, R read, W modify or close_write, C close,
    # + create, D delete (on the directory), < > moves.
    close_type = "close_write" if "close_write" in MODE_TYPES[mode] else "close_nowrite"
    counts = {}
    line_re = re.compile(r"^.*\((\d+)\): ([RCWOD+<>]+)\s")
    letter = {"O": "open", "R": "access", "C": close_type, "+": "create", "D": "delete",
              "W": "W"}
    with open(path, "rb") as f:
        for raw in f:
            m = line_re.match(raw.decode("utf-8", "replace"))
            if not m or int(m.group(1)) not in pids:
                continue
            for ch in m.group(2):
                t = letter.get(ch)
                if t:
                    counts[t] = counts.get(t, 0) + 1
    return counts


def parse_fnotifystat(path, pids, mode):
    # "dd/mm/yy hh:mm:ss  count (OCRW) pid comm path", one line per kernel record.
    close_type = "close_write" if "close_write" in MODE_TYPES[mode] else "close_nowrite"
    counts = {}
    line_re = re.compile(r"^\S+ \S+\s+\S+\s+\(([OCRW-]{4})\)\s+(\d+)\s")
    letter = {"O": "open", "C": close_type, "R": "access", "W": "W"}
    with open(path, "rb") as f:
        for raw in f:
            m = line_re.match(raw.decode("utf-8", "replace"))
            if not m or int(m.group(2)) not in pids:
                continue
            for ch in m.group(1):
                t = letter.get(ch)
                if t:
                    counts[t] = counts.get(t, 0) + 1
    return counts


def parse_minreader(path, pids):
    counts, overflows = {}, None
    with open(path) as f:
        for line in f:
            kv = dict(w.split("=", 1) for w in line.split() if "=" in w)
            if line.startswith("minreader:"):
                overflows = int(kv.get("overflows", 0))
            elif "pid" in kv and int(kv["pid"]) in pids:
                for t, n in kv.items():
                    if t != "pid":
                        counts[t] = counts.get(t, 0) + int(n)
    return counts, overflows


def parse_fanotop_csv(path, pids):
    counts = {}
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        rows = csv.reader(f)
        header = next(rows, None)
        if not header:
            return counts
        ipid, iev = header.index("pid"), header.index("event")
        for r in rows:
            if len(r) <= iev:
                continue
            try:
                if int(r[ipid]) not in pids:
                    continue
            except ValueError:
                continue
            for t in r[iev].split("|"):
                counts[t] = counts.get(t, 0) + 1
    return counts


def parse_fanotop_summary(path):
    try:
        with open(path, errors="replace") as f:
            m = SUMMARY_RE.search(f.read())
    except OSError:
        m = None
    return (int(m.group(2)), int(m.group(3))) if m else (None, None)


def parse_ui_screen(text):
    """Counts per type from the types view, and the header's overflows and ring losses."""
    counts = {}
    for line in text.splitlines()[2:]:
        m = re.match(r"^\s*([a-z_]+)\s+(\d+)\s", line)
        if m:
            counts[m.group(1)] = int(m.group(2))

    def num(label):
        m = re.search(label + r":\s*(\d+)", text)
        return int(m.group(1)) if m else None
    return (counts or None), num("Overflows"), num("Ring losses")


# ---- one run --------------------------------------------------------------------------------

def ops_of(args, mode):
    return args.ops // CREATE_SHARE if mode == "create" else args.ops


def run_load(args, load_dir, mode, procs, files=None):
    cmd = [args.loadgen, "run", load_dir, "-m", mode, "-p", str(procs), "-n",
           str(ops_of(args, mode)), "-k", str(files or args.files)]
    # Its CPU time (and its workers', which it waits for): a figure that
    # others' work on a shared machine disturbs less than its wall clock.
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run(cmd, capture_output=True, text=True)
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit("loadgen failed: " + r.stderr.strip())
    out = {}
    for line in r.stdout.splitlines():
        k, _, v = line.partition(": ")
        out[k] = v
    exp = dict((kv.split("=")[0], int(kv.split("=")[1])) for kv in out["expected"].split())
    return {"ops_s": float(out["ops_per_s"]), "seconds": float(out["seconds"]),
            "load_cpu": (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime),
            "pids": set(int(p) for p in out["pids"].split(",")), "expected": exp,
            "assumption": out.get("assumption", "")}


def one_run(args, name, load_dir, out_dir, mode, procs, tag):
    res = {"monitor": name, "notes": []}
    if name == "none":
        load = run_load(args, load_dir, mode, procs)
        res.update(ops_s=load["ops_s"], assumption=load["assumption"])
        return res
    mon = Monitor(name, args, load_dir, out_dir, tag)
    T = [time.monotonic()]
    ok = mon.start()
    T.append(time.monotonic())
    if not ok:
        return mon.give_up(res)
    c0 = mon.cpu_ns()
    load = run_load(args, load_dir, mode, procs)
    T.append(time.monotonic())
    mon.wait_drained()
    T.append(time.monotonic())
    c1 = mon.cpu_ns()
    hwm = mon.peak_rss_kib()
    screen = mon.ui_screen() if name == "fanotop-ui" else ""
    T.append(time.monotonic())
    rc = mon.stop()
    T.append(time.monotonic())
    if os.environ.get("BENCH_TIMING"):
        log("    phases: " + " ".join("%.2f" % (b - a) for a, b in zip(T, T[1:])))
    res.update(ops_s=load["ops_s"], rss_kib=hwm,
               cpu_s=(c1 - c0) / 1e9 if c0 is not None and c1 is not None else None)
    if mon.early_exit:
        res["notes"].append("exited during the load: " + mon.early_exit)
    expected = load["expected"]
    overflows = losses = None
    if name == "fatrace":
        counts = parse_fatrace(mon.out, load["pids"], mode)
    elif name == "fnotifystat":
        counts = parse_fnotifystat(mon.out, load["pids"], mode)
    elif name == "minreader":
        counts, overflows = parse_minreader(mon.out, load["pids"])
    elif name == "fanotop-record":
        counts = parse_fanotop_csv(mon.out, load["pids"])
        overflows, losses = parse_fanotop_summary(mon.err)
        if overflows is None:
            res["notes"].append("no summary line (exit %s): %s" % (rc, last_line(mon.err)))
    else:
        # Everything in DIR is the load's: the UI's own totals per type.
        counts, overflows, losses = parse_ui_screen(screen)
        if counts is None:
            res["notes"].append("no types view on the screen: CPU and slowdown only")
    if counts is not None:
        scored = [t for t in MODE_TYPES[mode] if t in TYPES[name]]
        got = sum(counts.get(t, 0) for t in scored)
        want = sum(expected[t] for t in scored)
        res["capt"] = 100.0 * got / want if want else None
        res["events"] = got
        res["scored"] = scored
        res["counts"] = counts
    res["overflows"], res["losses"] = overflows, losses
    if res.get("cpu_s") is not None and res.get("events"):
        res["ns_ev"] = res["cpu_s"] * 1e9 / res["events"]
    res["notes"] += mon.notes
    remove_files(mon.out, mon.err)
    return res


def drain_run(args, load_dir, out_dir, tag):
    """fanotop --record --unlimited-queue is stopped (SIGSTOP) while a read
    load queues all its events in the kernel, then let go: how fast it works
    through the backlog, from SIGCONT to the last growth of its output. Each
    operation has a file of its own: with the whole load queued, the kernel
    would merge a file's revisit into its earlier, still queued, record."""
    load_dir = os.path.join(load_dir, "drain")
    if not os.path.isdir(load_dir):
        os.makedirs(load_dir)
        subprocess.run([args.loadgen, "prepare", load_dir, "-k", str(args.ops)], check=True,
                       stdout=subprocess.DEVNULL)
    mon = Monitor("fanotop-record", args, load_dir, out_dir, tag)
    mon.extra = ["--unlimited-queue"]
    if not mon.start():
        return mon.give_up({"notes": []})
    os.kill(mon.pid, signal.SIGSTOP)
    load = run_load(args, load_dir, "read", 1, files=args.ops)
    size, c0 = mon.output_size(), mon.cpu_ns()
    t0 = t_last = time.monotonic()
    os.kill(mon.pid, signal.SIGCONT)
    while time.monotonic() - t_last < 0.5:
        time.sleep(0.002)
        s = mon.output_size()
        if s != size:
            size, t_last = s, time.monotonic()
    c1 = mon.cpu_ns()
    mon.stop()
    counts = parse_fanotop_csv(mon.out, load["pids"])
    overflows, losses = parse_fanotop_summary(mon.err)
    with open(mon.out, newline="", encoding="utf-8", errors="surrogateescape") as f:
        records = sum(1 for r in csv.reader(f)) - 1
    remove_files(mon.out, mon.err)
    events = sum(counts.get(t, 0) for t in MODE_TYPES["read"])
    want = sum(load["expected"][t] for t in MODE_TYPES["read"])
    secs = t_last - t0
    return {"events": events, "want": want, "records": records, "seconds": secs,
            "ev_s": events / secs if secs > 0 else None,
            "rec_s": records / secs if secs > 0 else None,
            "ns_ev": (c1 - c0) / events if events and c0 is not None and c1 else None,
            "overflows": overflows, "losses": losses, "notes": mon.notes}


def drain_block(args, runs, fs, load_dir):
    ok = [r for r in runs if not r.get("failed")]
    title = ("== backlog drain, %s (%s): fanotop --record --unlimited-queue stopped during "
             "a read load of %d ops on as many files, then continued" % (fs, load_dir, args.ops))
    if not ok:
        return [title, "  failed: " + "; ".join(n for r in runs for n in r["notes"]), ""]
    return [title,
            "  events (types) drained per second: %s; kernel records per second: %s"
            % (med_spread([r["ev_s"] for r in ok], f_k), med_spread([r["rec_s"] for r in ok], f_k)),
            "  seconds: %s; CPU ns per event: %s; events recorded / queued: %s / %d;"
            " overflows %s, ring losses %s"
            % (med_spread([r["seconds"] for r in ok], f_2),
               med_spread([r["ns_ev"] for r in ok], f_int),
               med_spread([r["events"] for r in ok], f_int), ok[0]["want"],
               med_spread([r["overflows"] for r in ok], f_int),
               med_spread([r["losses"] for r in ok], f_int)), ""]


# ---- sibling row: a narrow watch, a load next to it -------------------------------------------

SIBLING_MONITORS = ["none", "fatrace", "fnotifystat", "fanotop-record"]
SIBLING_FILES = 20  # files written under the watched directory per place and phase
FILTERED_RE = re.compile(r"fanotop: (\d+) events read were outside the scope")


def inode_marked(pid, path):
    """Does PID hold an fanotify inode mark on PATH (fdinfo "ino:" in hex)?"""
    st = os.stat(path)
    want = "ino:%x sdev:%s " % (st.st_ino, kernel_dev(path))
    return any(want in m for m in fanotify_marks(pid))


def write_files(d, n, prefix="w"):
    paths = []
    for i in range(n):
        p = os.path.join(d, "%s%03d" % (prefix, i))
        with open(p, "wb") as f:
            f.write(b"watched\n")
        paths.append(p)
    return paths


def sibling_writes(mon, base, watched, phase):
    """Files written under WATCHED: in it, in a directory tree made now and in a
    directory moved in from outside. Returns their paths."""
    new = os.path.join(watched, "new-" + phase)
    sub = os.path.join(new, "sub")
    os.makedirs(sub)
    outside = os.path.join(base, "outside-" + phase)
    os.makedirs(os.path.join(outside, "inner"))
    moved = os.path.join(watched, "moved-" + phase)
    os.rename(outside, moved)
    places = [watched, sub, os.path.join(moved, "inner")]
    # A monitor with inode marks gets a moment to mark what appeared.
    if any(" ino:" in m for m in fanotify_marks(mon.pid)):
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and \
                not all(inode_marked(mon.pid, d) for d in places[1:]):
            time.sleep(0.01)
    written = []
    for d in places:
        written += write_files(d, SIBLING_FILES, phase + "-")
    return written


def written_seen(name, out, written):
    """Which of WRITTEN the monitor's output shows with a close_write (W)."""
    want, seen = set(written), set()
    if name == "fanotop-record":
        with open(out, newline="", encoding="utf-8", errors="surrogateescape") as f:
            rows = csv.reader(f)
            header = next(rows, None) or []
            if "path" not in header:
                return seen
            ip, ie = header.index("path"), header.index("event")
            for r in rows:
                if len(r) > max(ip, ie) and r[ip] in want and "close_write" in r[ie]:
                    seen.add(r[ip])
        return seen
    # fatrace: "comm(pid): FLAGS path"; fnotifystat: "... (OCRW) pid comm path"
    line_re = (re.compile(r"^.*\(\d+\): ([RCWOD+<>]+)\s+(\S.*)$") if name == "fatrace" else
               re.compile(r"^\S+ \S+\s+\S+\s+\(([OCRW-]{4})\)\s+\d+\s+\S+\s+(\S.*)$"))
    with open(out, "rb") as f:
        for raw in f:
            m = line_re.match(raw.decode("utf-8", "replace").rstrip("\n"))
            if m and "W" in m.group(1) and m.group(2) in want:
                seen.add(m.group(2))
    return seen


def sibling_run(args, name, base, out_dir, tag):
    watched, sib = os.path.join(base, "watched"), os.path.join(base, "sibling")
    res = {"monitor": name, "notes": []}
    if name == "none":
        load = run_load(args, sib, "read", 1)
        res.update(ops_s=load["ops_s"], load_cpu=load["load_cpu"])
        return res
    mon = Monitor(name, args, watched, out_dir, tag)
    if name == "fanotop-record":
        mon.extra = ["--verbose"]
    if not mon.start():
        return mon.give_up(res)
    c0 = mon.cpu_ns()
    written = sibling_writes(mon, base, watched, tag + "-before")
    load = run_load(args, sib, "read", 1)
    written += sibling_writes(mon, base, watched, tag + "-after")
    mon.wait_drained()
    c1 = mon.cpu_ns()
    mon.stop()
    if mon.early_exit:
        res["notes"].append("exited during the load: " + mon.early_exit)
    seen = written_seen(name, mon.out, written)
    res.update(ops_s=load["ops_s"], load_cpu=load["load_cpu"],
               path_capt=100.0 * len(seen) / len(written),
               cpu_s=(c1 - c0) / 1e9 if c0 is not None and c1 is not None else None)
    if name == "fanotop-record":
        try:
            with open(mon.err, errors="replace") as f:
                m = FILTERED_RE.search(f.read())
            res["outside"] = int(m.group(1)) if m else None
        except OSError:
            pass
    res["notes"] += mon.notes
    remove_files(mon.out, mon.err)
    return res


def sibling_block(args, runs, fs, base, monitors):
    title = ("== sibling, %s (%s): read load of %d ops in sibling/ while the monitor watches "
             "watched/ (load speed with / without: 1.00 = no cost)" % (fs, base, args.ops))
    head = ["monitor", "load ops/s", "speed", "load CPU", "CPU s", "PATH capt %",
            "outside PATH read", "notes"]
    rows = []
    for name in monitors:
        rs = runs.get(name, [])
        if not rs:
            continue
        notes = "; ".join(sorted(set(n for r in rs for n in r["notes"])))
        if all(r.get("failed") for r in rs):
            rows.append([name, "-", "-", "-", "-", "-", "-", notes])
            continue
        speed = [r["ops_s"] / r["bare"] for r in rs if r.get("ops_s") and r.get("bare")]
        cpu = [r["bare_cpu"] / r["load_cpu"] for r in rs if r.get("load_cpu") and r.get("bare_cpu")]
        rows.append([name, med_spread([r.get("ops_s") for r in rs], f_k),
                     "1.00" if name == "none" else med_spread(speed, f_2),
                     "1.00" if name == "none" else med_spread(cpu, f_2),
                     med_spread([r.get("cpu_s") for r in rs], f_2),
                     med_spread([r.get("path_capt") for r in rs], f_pct),
                     med_spread([r.get("outside") for r in rs], f_int), notes])
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head) - 1)]
    lines = [title]
    for r in [head] + rows:
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  " + "  ".join(cells) + ("  " + r[-1] if r[-1] else ""))
    return lines + [""]


def sibling_rows(args, fs, d, out_dir, monitors):
    """The sibling row of filesystem FS: DIR/watched and DIR/sibling made fresh."""
    base = os.path.join(d, "sib-row")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(os.path.join(base, "watched"))
    write_files(os.path.join(base, "watched"), 1)
    os.makedirs(os.path.join(base, "sibling"))
    subprocess.run([args.loadgen, "prepare", os.path.join(base, "sibling"), "-k",
                    str(args.files)], check=True, stdout=subprocess.DEVNULL)
    mons = [m for m in SIBLING_MONITORS if m in monitors and m != "none"]
    runs = {}
    # Each monitor's run follows a bare run of its own: the ratio of the two
    # is less at the mercy of what else the machine does meanwhile.
    for rep in range(args.reps):
        k = rep % len(mons) if mons else 0
        for name in mons[k:] + mons[:k]:
            log("  %s sibling rep %d: none, %s" % (fs, rep + 1, name))
            tag = "%s-sib-%d-%s" % (fs, rep, name)
            bare = sibling_run(args, "none", base, out_dir, tag)
            runs.setdefault("none", []).append(bare)
            r = sibling_run(args, name, base, out_dir, tag)
            r["bare"], r["bare_cpu"] = bare.get("ops_s"), bare.get("load_cpu")
            runs.setdefault(name, []).append(r)
    mons.insert(0, "none")
    block = sibling_block(args, runs, fs, base, mons)
    shutil.rmtree(base, ignore_errors=True)
    return block


# ---- table ----------------------------------------------------------------------------------

def med_spread(vals, fmt):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "-"
    m = statistics.median(vals)
    if len(vals) == 1:
        return fmt(m)
    return "%s [%s-%s]" % (fmt(m), fmt(min(vals)), fmt(max(vals)))


def f_int(v):
    return "%d" % round(v)


def f_k(v):
    return "%.0fk" % (v / 1000) if v >= 10000 else "%.1fk" % (v / 1000)


def f_2(v):
    return "%.2f" % v


def f_pct(v):
    return "%.1f" % v


def f_mib(v):
    return "%.1f" % (v / 1024)


def config_table(runs, monitors, mode):
    """Rows for one configuration: runs[monitor] = [res per rep]."""
    base = {i: r.get("ops_s") for i, r in enumerate(runs.get("none", []))}
    rows = []
    for name in monitors:
        rs = runs.get(name, [])
        if not rs:
            continue
        slow = [base[i] / r["ops_s"] for i, r in enumerate(rs)
                if r.get("ops_s") and base.get(i)]
        notes = sorted(set(n for r in rs for n in r["notes"]))
        if all(r.get("failed") for r in rs):
            rows.append([name, "-", "-", "-", "-", "-", "-", "-", "-", "; ".join(notes)])
            continue
        if name == "none":
            rows.append([name, med_spread([r.get("ops_s") for r in rs], f_k), "1.00",
                         "-", "-", "-", "-", "-", "-", ""])
            continue
        scored = rs[0].get("scored")
        if scored:
            notes.insert(0, "scored: " + ",".join(scored))
        if (name, mode) in TOOL_NOTES:
            notes.append(TOOL_NOTES[(name, mode)])

        def tot(key):
            vals = [r.get(key) for r in rs]
            return "-" if all(v is None for v in vals) else med_spread(vals, f_int)
        rows.append([name, med_spread([r.get("ops_s") for r in rs], f_k),
                     med_spread(slow, f_2), med_spread([r.get("cpu_s") for r in rs], f_2),
                     med_spread([r.get("ns_ev") for r in rs], f_int),
                     med_spread([r.get("capt") for r in rs], f_pct), tot("overflows"),
                     tot("losses"), med_spread([r.get("rss_kib") for r in rs], f_mib),
                     "; ".join(notes)])
    return rows


def ratio_rows(runs):
    """fanotop's medians as ratios to minreader's."""
    def med(name, key, fn=None):
        vals = []
        base = {i: r.get("ops_s") for i, r in enumerate(runs.get("none", []))}
        for i, r in enumerate(runs.get(name, [])):
            if fn:
                v = fn(i, r, base)
            else:
                v = r.get(key)
            if v is not None:
                vals.append(v)
        return statistics.median(vals) if vals else None

    def slow(i, r, base):
        return base[i] / r["ops_s"] if r.get("ops_s") and base.get(i) else None
    out = []
    for name in ("fanotop-record", "fanotop-ui"):
        if name not in runs or "minreader" not in runs or \
                all(r.get("failed") for r in runs[name]):
            continue
        cells = []
        for label, key, fn in (("slowdown", None, slow), ("cpu", "cpu_s", None),
                               ("ns/event", "ns_ev", None), ("peak RSS", "rss_kib", None)):
            a, b = med(name, key, fn), med("minreader", key, fn)
            cells.append("%s x%s" % (label, "%.2f" % (a / b) if a and b else "-"))
        out.append("  %s / minreader: %s" % (name, ", ".join(cells)))
    return out


HEAD = ["monitor", "load ops/s", "slowdown", "CPU s", "ns/event", "capt %", "overflows",
        "ring loss", "peak RSS MiB", "notes"]


def render(rows):
    widths = [max(len(str(r[i])) for r in rows + [HEAD]) for i in range(len(HEAD) - 1)]
    lines = []
    for r in [HEAD] + rows:
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  " + "  ".join(cells) + ("  " + r[-1] if r[-1] else ""))
    return lines


# ---- setup and main -------------------------------------------------------------------------

def mount_tmpfs(path, size):
    os.makedirs(path, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + size, "fanotop-bench", path],
                   check=True)


def tool_version(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=5)
        return (r.stdout + r.stderr).strip().splitlines()[0]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "not found"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fanotop", required=True)
    ap.add_argument("--loadgen", required=True)
    ap.add_argument("--minreader", required=True)
    ap.add_argument("--results", default=os.path.join(os.path.dirname(__file__), "results"))
    ap.add_argument("--quick", action="store_const", dest="preset", const="quick")
    ap.add_argument("--full", action="store_const", dest="preset", const="full")
    ap.add_argument("--monitors", help="comma list, default: " + ",".join(ALL_MONITORS))
    ap.add_argument("--fs", help="tmpfs,rootfs")
    ap.add_argument("--modes", help="e.g. read:1,read:2,create:1 (mode:procs)")
    ap.add_argument("--ops", type=int, help="operations per run (all processes together)")
    ap.add_argument("--files", type=int, default=20000, help="FILES of the round robin")
    ap.add_argument("--reps", type=int)
    ap.add_argument("--drain-timeout", type=float, default=60)
    ap.add_argument("--no-backlog", action="store_true",
                    help="skip the backlog drain measurement of fanotop --record")
    ap.add_argument("--only", help="rows to run, comma list of " + ",".join(ROW_KINDS) +
                    " (default: all)")
    args = ap.parse_args()
    only = args.only.split(",") if args.only else list(ROW_KINDS)
    for k in only:
        if k not in ROW_KINDS:
            raise SystemExit("compare: unknown row kind %s (%s)" % (k, ",".join(ROW_KINDS)))
    if args.no_backlog and "backlog" in only:
        only.remove("backlog")
    preset = PRESETS[args.preset or "default"]
    configs = preset[0]
    if args.fs or args.modes:
        fss = args.fs.split(",") if args.fs else ["tmpfs", "rootfs"]
        modes = ([(m.split(":")[0], int(m.split(":")[1]) if ":" in m else 1)
                  for m in args.modes.split(",")] if args.modes else
                 [(m, 1) for m in ("open", "read", "write", "create")])
        configs = [(fs, m, p) for fs in fss for m, p in modes]
    for fs, _, _ in configs:
        if fs not in ("tmpfs", "rootfs"):
            raise SystemExit("compare: unknown filesystem %s (tmpfs, rootfs)" % fs)
    fss = [fs for fs in ("tmpfs", "rootfs") if any(c[0] == fs for c in configs)]
    modes = [(m, p) for _, m, p in configs]
    args.ops = args.ops or preset[1]
    args.reps = args.reps or preset[2]
    monitors = args.monitors.split(",") if args.monitors else list(ALL_MONITORS)
    for m, p in modes:
        if m not in MODE_TYPES or ops_of(args, m) % p:
            raise SystemExit("compare: bad mode %s:%d (modes %s; OPS a multiple of procs)"
                             % (m, p, ",".join(MODE_TYPES)))
    for m in monitors:
        if m not in ALL_MONITORS:
            raise SystemExit("compare: unknown monitor %s (%s)" % (m, ",".join(ALL_MONITORS)))
    if os.geteuid() != 0:
        raise SystemExit("compare: needs root (fanotify)")
    for m, tool in (("fatrace", "fatrace"), ("fnotifystat", "fnotifystat"),
                    ("fanotop-ui", "tmux")):
        if m in monitors and not shutil.which(tool):
            log("compare: %s not found: %s skipped" % (tool, m))
            monitors.remove(m)
    if "none" not in monitors:
        monitors.insert(0, "none")

    started = time.monotonic()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    scratch = tempfile.mkdtemp(prefix="fanotop-bench.")
    rootdir = tempfile.mkdtemp(prefix="fanotop-bench.", dir="/var/tmp")
    mounts = []
    lines = []
    try:
        out_dir = os.path.join(scratch, "out")
        mount_tmpfs(out_dir, "2g")
        mounts.append(out_dir)
        dirs = {}
        if "tmpfs" in fss:
            dirs["tmpfs"] = os.path.join(scratch, "load")
            mount_tmpfs(dirs["tmpfs"], "1g")
            mounts.append(dirs["tmpfs"])
        if "rootfs" in fss:
            dirs["rootfs"] = os.path.join(rootdir, "load")
            os.makedirs(dirs["rootfs"])
            if os.stat(dirs["rootfs"]).st_dev != os.stat("/").st_dev:
                log("compare: note: /var/tmp is not on the root filesystem")
        uname = os.uname()
        lines += ["fanotop monitor comparison, %s" % stamp,
                  "machine: %s %s, %d CPUs; load: %d operations per run (create: %d) over %d "
                  "files, %d repetitions, median [min-max]"
                  % (uname.sysname, uname.release, os.cpu_count(), args.ops,
                     ops_of(args, "create"), args.files, args.reps),
                  "tools: fatrace %s; %s; %s" % (tool_version(["dpkg-query", "-W", "-f",
                                                               "${Version}", "fatrace"]),
                                                 tool_version(["fnotifystat", "-h"]),
                                                 tool_version([args.fanotop, "--version"])),
                  "command: %s" % " ".join(["bench/compare.py"] + sys.argv[1:]), ""]
        for line in lines:
            print(line, flush=True)
        assumption = ""
        for fs in fss:
            d = dirs[fs]
            if "load" in only or "backlog" in only:
                subprocess.run([args.loadgen, "prepare", d, "-k", str(args.files)], check=True,
                               stdout=subprocess.DEVNULL)
            for mode, procs in [(m, p) for f, m, p in configs if f == fs and "load" in only]:
                runs = {}
                for rep in range(args.reps):
                    k = rep % len(monitors)
                    for name in monitors[k:] + monitors[:k]:
                        tag = "%s-%s-%d-%d" % (fs, mode, procs, rep)
                        log("  %s %s p%d rep %d: %s" % (fs, mode, procs, rep + 1, name))
                        r = one_run(args, name, d, out_dir, mode, procs, tag)
                        assumption = r.get("assumption", assumption)
                        runs.setdefault(name, []).append(r)
                title = "== %s (%s), %s, %d process%s, %d ops" % (
                    fs, d, mode, procs, "es" if procs > 1 else "", ops_of(args, mode))
                block = [title] + render(config_table(runs, monitors, mode)) + ratio_rows(runs)
                block.append("")
                for line in block:
                    print(line, flush=True)
                lines += block
            if "fanotop-record" in monitors and "backlog" in only:
                runs = []
                for rep in range(args.reps):
                    log("  %s backlog drain rep %d" % (fs, rep + 1))
                    runs.append(drain_run(args, d, out_dir, "%s-drain-%d" % (fs, rep)))
                block = drain_block(args, runs, fs, d)
                for line in block:
                    print(line, flush=True)
                lines += block
            if "sibling" in only:
                block = sibling_rows(args, fs, d, out_dir, monitors)
                for line in block:
                    print(line, flush=True)
                lines += block
        if assumption:
            lines.append("expected counts: " + assumption.replace("assumption: ", ""))
        lines.append("total time %.0f s" % (time.monotonic() - started))
        print("\n".join(lines[-2:]))
    finally:
        subprocess.run(["tmux", "-L", "fanotop-bench-%d" % os.getpid(), "kill-server"],
                       stderr=subprocess.DEVNULL)
        for m in reversed(mounts):
            subprocess.run(["umount", "-l", m], stderr=subprocess.DEVNULL)
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(rootdir, ignore_errors=True)
    os.makedirs(args.results, exist_ok=True)
    path = os.path.join(args.results, "compare-%s.txt" % stamp)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    shutil.copyfile(path, os.path.join(args.results, "latest.txt"))
    print("saved %s (and latest.txt)" % path)


if __name__ == "__main__":
    main()
