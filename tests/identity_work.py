"""Workloads for the process identity tests: real processes that change
their user, their name or their cgroup, or fork and exec, between file
events. Run as root.

Usage: identity_work.py WORK DIR RECORD [ARGS...]
  uid DIR REC N        N children: write DIR/uid-pre-I as root, wait until
                       REC shows it, setresuid(65534), write DIR/uid-post-I
  comm DIR REC N       the same with prctl(PR_SET_NAME, "renamed-I")
  cgroup DIR REC CG    a child writes DIR/cg-pre, waits until REC shows it,
                       moves itself into the cgroup directory CG, writes
                       DIR/cg-post-K K/10 s later for K = 0..12, starts a
                       cat on DIR/cg-exec, moves back
  forkexec DIR - N     N children write DIR/fe-I before they exec true

The waits on REC (a --record file, flushed whenever fanotop is idle) make
the events of a write certainly read before the change that follows it:
fanotop applies a change to the events queued after it and to none read
before it; an event still queued when the change happens may take it (see
LIMITATIONS).
"""
import csv
import ctypes
import os
import subprocess
import sys
import time

PR_SET_NAME = 15


def write(path):
    with open(path, "w") as f:
        f.write("x")


def wait_recorded(rec, path):
    """Until REC shows the close of a write of PATH (the last event of it)."""
    for _ in range(3000):
        try:
            with open(rec, newline="") as f:
                for row in csv.DictReader(f):
                    if row.get("path") == path and "close_write" in (row.get("event") or ""):
                        return
        except OSError:
            pass
        time.sleep(0.005)
    sys.exit("%s never reached %s" % (path, rec))


def in_child(fn, *args):
    pid = os.fork()
    if pid == 0:
        try:
            fn(*args)
        except BaseException as e:  # report, never fall back into the parent's loop
            print("child: %r" % e, file=sys.stderr)
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        sys.exit("child failed: %d" % status)


def drop_user(d, rec, i):
    write("%s/uid-pre-%d" % (d, i))
    wait_recorded(rec, "%s/uid-pre-%d" % (d, i))
    os.setresgid(65534, 65534, 65534)
    os.setresuid(65534, 65534, 65534)
    write("%s/uid-post-%d" % (d, i))


def rename(d, rec, i):
    write("%s/comm-pre-%d" % (d, i))
    wait_recorded(rec, "%s/comm-pre-%d" % (d, i))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NAME, ("renamed-%d" % i).encode(), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl")
    write("%s/comm-post-%d" % (d, i))


def own_cgroup():
    with open("/proc/self/cgroup") as f:
        for line in f:
            if line.startswith("0::"):
                return line[3:].strip()
    return "/"


def move_cgroup(d, rec, cg):
    root = cg[: cg.rstrip("/").rindex("/")]
    home = root + own_cgroup()
    write(d + "/cg-pre")
    wait_recorded(rec, d + "/cg-pre")
    with open(cg + "/cgroup.procs", "w") as f:
        f.write(str(os.getpid()))
    moved = time.monotonic()
    for k in range(13):  # one write each 0.1 s for 1.2 s
        time.sleep(max(0.0, moved + k / 10 - time.monotonic()))
        write("%s/cg-post-%d" % (d, k))
    subprocess.run(["cat", d + "/cg-exec"], stdout=subprocess.DEVNULL, check=True)
    with open(home.rstrip("/") + "/cgroup.procs", "w") as f:
        f.write(str(os.getpid()))


def fork_exec(d, i):
    pid = os.fork()
    if pid == 0:
        write("%s/fe-%d" % (d, i))
        os.execv("/bin/true", ["true"])
    os.waitpid(pid, 0)


def main():
    work, d, rec = sys.argv[1:4]
    args = sys.argv[4:]
    if work == "uid":
        for i in range(int(args[0])):
            in_child(drop_user, d, rec, i)
    elif work == "comm":
        for i in range(int(args[0])):
            in_child(rename, d, rec, i)
    elif work == "cgroup":
        in_child(move_cgroup, d, rec, args[0])
    elif work == "forkexec":
        for i in range(int(args[0])):
            fork_exec(d, i)
    else:
        sys.exit("unknown work " + work)


main()
