#!/usr/bin/env python3
"""Following a command: fanotop -- COMMAND against strace -f on real workloads.

Run it with `make bench-follow` (BENCH_ARGS=--quick for one repetition), as
root. Method:

- Workloads, generated in a scratch directory of the root filesystem
  (/var/tmp) before anything is timed:
    tree:  tar -xf a tarball of 20000 small files in 100 directories, then
           find -type f -size +0 over the extracted tree (every file stat'ed);
    build: make -j2 of a generated C project (40 modules + main, one shared
           header, -O1); `make clean` before each run, untimed.
- Timed variants, REPS (3) each, order rotated per repetition, wall time of
  the whole command including the tool's start and stop:
    bare     COMMAND
    strace   strace -f -e trace=%file -o /dev/null COMMAND
    fanotop  fanotop --record=FILE -- COMMAND   (default scope: every real
             filesystem; kernel overflows and ring losses from its summary)
  slowdown = tool's time / bare time of the same repetition; median [min-max].
- What each sees, from ONE run in which both watch the same execution
  (temporary names such as gcc's /tmp/cc*.s differ between runs):
    fanotop --record=FILE -- strace -ff -y -s 4096 -qq
            -e trace=%file,fchdir -o TRACEDIR/t COMMAND
  strace's own events (comm strace, TRACEDIR) are left out of fanotop's list.
  strace paths: absolute as given, else joined to the directory strace -y
  prints for the dirfd or AT_FDCWD; for a successful open the resolved path
  strace -y prints for the new fd; then realpath(). "distinct files" counts
  distinct paths; for strace also those a call succeeded on and those that
  were opened (open/creat/exec, not O_PATH).
- Every path strace saw and fanotop did not gets one reason, the first that
  applies: every call on it failed (nothing was accessed); a pseudo
  filesystem (proc, sysfs, devpts ...: fanotop does not mark them); metadata
  only (stat, access, readlink, chdir ...: fanotify has no event for these);
  O_PATH opens only (no event); a device node (this kernel sends no event
  for device files: bench/minreader sees none for /dev/null either); a
  directory that was only opened for reading (fanotop reports files, not
  directory listings); else "not explained". Paths fanotop saw and strace
  did not are listed too (the kernel itself opens an exec'd program's ELF
  interpreter: open_exec, no system call). The full lists go to the results
  file, bench/results/follow-YYYYmmdd-HHMMSS.txt and follow-latest.txt.
"""
import argparse
import csv
import datetime
import os
import re
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time

TREE_DIRS, TREE_FILES = 100, 200
BUILD_MODULES, BUILD_FUNCS = 40, 25
OPENS = {"open", "openat", "openat2", "creat"}
EXECS = {"execve", "execveat"}
CHANGES = {"mkdir", "mkdirat", "unlink", "unlinkat", "rmdir", "rename", "renameat", "renameat2",
           "link", "linkat", "symlink", "symlinkat", "mknod", "mknodat", "chmod", "fchmodat",
           "chown", "fchownat", "lchown", "utimensat", "utime", "utimes", "futimesat",
           "truncate", "setxattr", "lsetxattr", "removexattr", "lremovexattr"}
# Which string arguments are paths, where it is not only the first.
PATH_ARGS = {"rename": (0, 1), "renameat": (0, 1), "renameat2": (0, 1), "link": (0, 1),
             "linkat": (0, 1), "symlink": (1,), "symlinkat": (1,)}
PSEUDO = {"proc", "sysfs", "cgroup", "cgroup2", "devpts", "securityfs", "debugfs", "tracefs",
          "bpf", "pstore", "configfs", "fusectl", "mqueue", "hugetlbfs", "autofs", "binfmt_misc",
          "efivarfs", "nsfs"}
SUMMARY_RE = re.compile(r"fanotop: (\d+) events, (\d+) kernel overflows, (\d+) ring losses")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---- workloads --------------------------------------------------------------------------------

def make_tree(base):
    src = os.path.join(base, "tree-src")
    for d in range(TREE_DIRS):
        dd = os.path.join(src, "d%03d" % d)
        os.makedirs(dd)
        for f in range(TREE_FILES):
            with open(os.path.join(dd, "f%03d.txt" % f), "w") as fh:
                fh.write("file %d of directory %d\n" % (f, d) * 4)
    tar = os.path.join(base, "tree.tar")
    subprocess.run(["tar", "-cf", tar, "-C", src, "."], check=True)
    shutil.rmtree(src)
    out = os.path.join(base, "tree-out")
    cmd = ["sh", "-c", "tar -xf %s -C %s && find %s -type f -size +0 | wc -l >/dev/null"
           % (tar, out, out)]

    def reset():
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
    return {"name": "tree", "cmd": cmd, "cwd": base, "reset": reset,
            "what": "tar -xf (%d files) && find -type f -size +0" % (TREE_DIRS * TREE_FILES)}


def make_build(base):
    proj = os.path.join(base, "proj")
    os.makedirs(proj)
    with open(os.path.join(proj, "common.h"), "w") as f:
        f.write("#include <stdio.h>\n#include <string.h>\n#include <stdlib.h>\n")
        for m in range(BUILD_MODULES):
            f.write("int mod%d_run(int n);\n" % m)
    for m in range(BUILD_MODULES):
        with open(os.path.join(proj, "mod%02d.c" % m), "w") as f:
            f.write('#include "common.h"\n')
            for i in range(BUILD_FUNCS):
                f.write("static int f%d(int n)\n{\n    char b[64];\n    int s = 0;\n"
                        "    for (int i = 0; i < n; i++) {\n"
                        "        snprintf(b, sizeof b, \"%%d-%d\", i * %d);\n"
                        "        s += (int)strlen(b) ^ i;\n    }\n    return s;\n}\n"
                        % (i, i, m + 1))
            f.write("int mod%d_run(int n)\n{\n    return %s;\n}\n"
                    % (m, " + ".join("f%d(n)" % i for i in range(BUILD_FUNCS))))
    with open(os.path.join(proj, "main.c"), "w") as f:
        f.write('#include "common.h"\nint main(void)\n{\n    long s = 0;\n')
        for m in range(BUILD_MODULES):
            f.write("    s += mod%d_run(10);\n" % m)
        f.write('    printf("%ld\\n", s);\n    return 0;\n}\n')
    with open(os.path.join(proj, "Makefile"), "w") as f:
        f.write("CFLAGS = -O1 -Wall\nOBJS = $(patsubst %.c,%.o,$(wildcard *.c))\n"
                "app: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\n"
                "%.o: %.c common.h\n\t$(CC) $(CFLAGS) -c -o $@ $<\n"
                "clean:\n\trm -f *.o app\n")

    def reset():
        subprocess.run(["make", "-s", "clean"], cwd=proj, check=True)
    return {"name": "build", "cmd": ["make", "-s", "-j2"], "cwd": proj, "reset": reset,
            "what": "make -j2 of %d generated C files" % (BUILD_MODULES + 1)}


# ---- timed runs -------------------------------------------------------------------------------

def timed(args, wl, variant, csv_path):
    wl["reset"]()
    if variant == "bare":
        cmd = wl["cmd"]
    elif variant == "strace":
        cmd = ["strace", "-f", "-e", "trace=%file", "-o", "/dev/null"] + wl["cmd"]
    else:
        cmd = [args.fanotop, "--record=" + csv_path, "--"] + wl["cmd"]
    t0 = time.monotonic()
    r = subprocess.run(cmd, cwd=wl["cwd"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    secs = time.monotonic() - t0
    if r.returncode != 0:
        raise SystemExit("follow_compare: %s %s failed (%d): %s"
                         % (wl["name"], variant, r.returncode, r.stderr.strip()[-500:]))
    res = {"secs": secs}
    if variant == "fanotop":
        m = SUMMARY_RE.search(r.stderr)
        if m:
            res["events"], res["overflows"], res["losses"] = (int(g) for g in m.groups())
    return res


# ---- strace output ----------------------------------------------------------------------------

def c_string(s, i):
    """Parse the C string literal starting at s[i] == '"'; returns (bytes, end index)."""
    out = bytearray()
    i += 1
    while i < len(s):
        c = s[i]
        if c == '"':
            return bytes(out), i + 1
        if c == "\\":
            n = s[i + 1]
            if n == "x":
                out.append(int(s[i + 2:i + 4], 16))
                i += 4
                continue
            if n in "01234567":
                j = i + 1
                while j < len(s) and j < i + 4 and s[j] in "01234567":
                    j += 1
                out.append(int(s[i + 1:j], 8))
                i = j
                continue
            out += {"n": b"\n", "t": b"\t", "r": b"\r", "v": b"\v", "f": b"\f"}.get(
                n, n.encode())
            i += 2
            continue
        out += c.encode()
        i += 1
    return bytes(out), i


DIRFD_RE = re.compile(r"(?:AT_FDCWD|\d+)<([^>]*)>")
LINE_RE = re.compile(r"^(\w+)\((.*)$")
RET_RE = re.compile(r"\) += (-?\d+)(?:<([^>]*)>)?(?: (E\w+))?")


def parse_strace_file(path, seen):
    """Add {path: [(syscall, ok, flags)]} from one strace -ff -y file to SEEN."""
    cwd = None
    with open(path, errors="surrogateescape") as f:
        for line in f:
            m = LINE_RE.match(line)
            if not m:
                continue
            call, rest = m.group(1), m.group(2)
            r = None
            for r in RET_RE.finditer(rest):
                pass
            if not r:
                continue
            ok = int(r.group(1)) >= 0
            args_s = rest[:r.start()]
            # Walk the arguments: remember the last decorated dirfd, take strings as paths.
            strings, dirfd, i = [], None, 0
            while i < len(args_s):
                ch = args_s[i]
                if ch == '"':
                    raw, i = c_string(args_s, i)
                    strings.append((raw.decode("utf-8", "surrogateescape"), dirfd))
                    continue
                if ch == "[":  # execve's argv/envp: skip the array
                    depth = 0
                    while i < len(args_s):
                        if args_s[i] == "[":
                            depth += 1
                        elif args_s[i] == "]":
                            depth -= 1
                            if depth == 0:
                                break
                        elif args_s[i] == '"':
                            _, i = c_string(args_s, i)
                            continue
                        i += 1
                    i += 1
                    continue
                d = DIRFD_RE.match(args_s, i)
                if d:
                    dirfd = d.group(1)
                    if args_s.startswith("AT_FDCWD", i):
                        cwd = dirfd
                    i = d.end()
                    continue
                i += 1
            # Which strings name files: not readlink's buffer, xattr names, a symlink's target.
            pick = PATH_ARGS.get(call, (0,))
            paths = [strings[k] for k in pick if k < len(strings) and strings[k][0]]
            if call == "chdir" and ok and paths:
                p, d = paths[0]
                cwd = os.path.normpath(os.path.join(d or cwd or "/", p))
            flags = args_s
            for k, (p, d) in enumerate(paths):
                base = d or cwd or "/"
                full = p if p.startswith("/") else os.path.join(base, p)
                if k == 0 and ok and call in OPENS and r.group(2):
                    full = r.group(2)  # the fd's resolved path
                seen.setdefault(os.path.normpath(full), []).append((call, ok, flags))


# ---- the comparison run -----------------------------------------------------------------------

def mount_types():
    mts = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            a, b = line.split(" - ", 1)
            point = a.split()[4].replace("\\040", " ")
            mts.append((point, b.split()[0]))
    return mts


def fstype_of(path, mts):
    best, fst = "", "?"
    for point, t in mts:
        if (path == point or path.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, fst = point, t
    return fst


def reason(path, calls, mts):
    if not any(ok for _, ok, _ in calls):
        return "every call failed (ENOENT ...): nothing was accessed"
    fst = fstype_of(path, mts)
    if fst in PSEUDO:
        return "pseudo filesystem (%s): not marked" % fst
    good = [(c, fl) for c, ok, fl in calls if ok]
    if all(c not in OPENS and c not in EXECS and c not in CHANGES for c, _ in good):
        return "metadata only (stat, access, readlink ...): fanotify has no event for it"
    opens = [(c, fl) for c, fl in good if c in OPENS]
    if opens and all("O_PATH" in fl for _, fl in opens) and \
            not any(c in EXECS or c in CHANGES for c, _ in good):
        return "O_PATH open only: no fanotify event"
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = 0
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device node: the kernel sends no fanotify event for it (seen with minreader)"
    if os.path.isdir(path) and not any(c in CHANGES for c, _ in good):
        return "directory opened for reading: fanotop reports files, not directory reads"
    return "not explained"


def compare_run(args, wl, scratch):
    wl["reset"]()
    tdir = os.path.join(scratch, "trace-" + wl["name"])
    shutil.rmtree(tdir, ignore_errors=True)
    os.makedirs(tdir)
    csv_path = os.path.join(scratch, "cmp-%s.csv" % wl["name"])
    cmd = [args.fanotop, "--record=" + csv_path, "--", "strace", "-ff", "-y", "-s", "4096",
           "-qq", "-e", "trace=%file,fchdir", "-o", os.path.join(tdir, "t")] + wl["cmd"]
    r = subprocess.run(cmd, cwd=wl["cwd"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        raise SystemExit("follow_compare: comparison run failed: " + r.stderr.strip()[-500:])
    m = SUMMARY_RE.search(r.stderr)
    summary = tuple(int(g) for g in m.groups()) if m else None
    seen = {}
    for name in os.listdir(tdir):
        parse_strace_file(os.path.join(tdir, name), seen)
    norm = {}
    for p, calls in seen.items():
        norm.setdefault(os.path.realpath(p), []).extend(calls)
    fan = {}
    with open(csv_path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        for row in csv.DictReader(f):
            p = row["path"]
            if row["comm"] == "strace" or p.startswith(tdir + "/") or not p.startswith("/"):
                continue
            fan.setdefault(p, set()).update(row["event"].split("|"))
    fan_real = set(os.path.realpath(p) for p in fan)
    mts = mount_types()
    missed = {}
    for p, calls in norm.items():
        if p not in fan and p not in fan_real:
            calls_s = ",".join(sorted(set(c for c, _, _ in calls)))
            missed.setdefault(reason(p, calls, mts), []).append("%s  (%s)" % (p, calls_s))
    extra = {}
    for p, types in fan.items():
        if os.path.realpath(p) not in norm:
            why = ("open_exec by the kernel (ELF interpreter): no system call"
                   if "open_exec" in types else "not explained")
            extra.setdefault(why, []).append(p)
    ok_paths = [p for p, c in norm.items() if any(ok for _, ok, _ in c)]
    opened = [p for p, c in norm.items()
              if any(ok and (call in EXECS or (call in OPENS and "O_PATH" not in fl))
                     for call, ok, fl in c)]
    return {"strace": len(norm), "strace_ok": len(ok_paths), "strace_opened": len(opened),
            "fanotop": len(fan_real), "missed": missed, "extra": extra, "summary": summary}


# ---- report -----------------------------------------------------------------------------------

def med_spread(vals, fmt="%.2f"):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "-"
    m = statistics.median(vals)
    return fmt % m if len(vals) == 1 else "%s [%s-%s]" % (fmt % m, fmt % min(vals),
                                                          fmt % max(vals))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fanotop", required=True)
    ap.add_argument("--results", default=os.path.join(os.path.dirname(__file__), "results"))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="one repetition")
    ap.add_argument("--full", action="store_true", help="five repetitions")
    ap.add_argument("--workloads", default="tree,build")
    ap.add_argument("--examples", type=int, default=8, help="paths shown per reason")
    args = ap.parse_args()
    reps = 1 if args.quick else 5 if args.full else args.reps
    if os.geteuid() != 0:
        raise SystemExit("follow_compare: needs root (fanotify)")
    for tool in ("strace", "tar", "make", "cc"):
        if not shutil.which(tool):
            raise SystemExit("follow_compare: %s not found" % tool)
    started = time.monotonic()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    scratch = tempfile.mkdtemp(prefix="fanotop-follow.", dir="/var/tmp")
    lines = ["fanotop -- COMMAND against strace -f, %s" % stamp,
             "machine: %s %s, %d CPUs; %d repetitions, median [min-max]; scratch on the root "
             "filesystem" % (os.uname().sysname, os.uname().release, os.cpu_count(), reps),
             "command: %s" % " ".join(["bench/follow_compare.py"] + sys.argv[1:]), ""]
    full = []
    for line in lines:
        print(line, flush=True)
    try:
        makers = {"tree": make_tree, "build": make_build}
        for name in args.workloads.split(","):
            if name not in makers:
                raise SystemExit("follow_compare: unknown workload %s (tree, build)" % name)
            log("  setting up %s" % name)
            wl = makers[name](scratch)
            variants = ["bare", "strace", "fanotop"]
            res = {v: [] for v in variants}
            for rep in range(reps):
                k = rep % len(variants)
                for v in variants[k:] + variants[:k]:
                    log("  %s rep %d: %s" % (name, rep + 1, v))
                    res[v].append(timed(args, wl, v, os.path.join(scratch, "t.csv")))
            bare = [r["secs"] for r in res["bare"]]
            block = ["== %s: %s" % (name, wl["what"]),
                     "  %-8s %-24s %-22s %s" % ("variant", "seconds", "slowdown", "notes")]
            for v in variants:
                secs = [r["secs"] for r in res[v]]
                slow = [s / b for s, b in zip(secs, bare)]
                note = ""
                if v == "strace":
                    note = "strace -f -e trace=%file -o /dev/null"
                if v == "fanotop":
                    note = "--record; kernel overflows %s, ring losses %s, events %s" % (
                        med_spread([r.get("overflows") for r in res[v]], "%d"),
                        med_spread([r.get("losses") for r in res[v]], "%d"),
                        med_spread([r.get("events") for r in res[v]], "%d"))
                block.append("  %-8s %-24s %-22s %s" % (v, med_spread(secs), med_spread(slow),
                                                         note))
            log("  %s: comparison run" % name)
            c = compare_run(args, wl, scratch)
            nmiss = sum(len(v) for v in c["missed"].values())
            block.append("  distinct files, one run of fanotop -- strace -ff -y COMMAND: strace "
                         "%d (%d with a successful call, %d opened or executed), fanotop %d%s"
                         % (c["strace"], c["strace_ok"], c["strace_opened"], c["fanotop"],
                            "" if not c["summary"] else
                            " (kernel overflows %d, ring losses %d)" % c["summary"][1:]))
            block.append("  strace saw, fanotop did not: %d" % nmiss)
            for why, paths in sorted(c["missed"].items(), key=lambda kv: -len(kv[1])):
                paths.sort()
                block.append("    %6d  %s" % (len(paths), why))
                for p in paths[:args.examples]:
                    block.append("              %s" % p)
                if len(paths) > args.examples:
                    block.append("              ... (%d more in the results file)"
                                 % (len(paths) - args.examples))
                full.append("%s: %s (%d)" % (name, why, len(paths)))
                full += ["  " + p for p in paths]
            block.append("  fanotop saw, strace did not: %d"
                         % sum(len(v) for v in c["extra"].values()))
            for why, paths in sorted(c["extra"].items(), key=lambda kv: -len(kv[1])):
                paths.sort()
                block.append("    %6d  %s: %s%s" % (len(paths), why,
                                                   ", ".join(paths[:args.examples]),
                                                   " ..." if len(paths) > args.examples else ""))
                full.append("%s: fanotop saw, strace did not: %s (%d)" % (name, why, len(paths)))
                full += ["  " + p for p in paths]
            block.append("")
            for line in block:
                print(line, flush=True)
            lines += block
        lines.append("total time %.0f s" % (time.monotonic() - started))
        print(lines[-1])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(args.results, exist_ok=True)
    path = os.path.join(args.results, "follow-%s.txt" % stamp)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n\nFull lists\n" + "\n".join(full) + "\n")
    shutil.copyfile(path, os.path.join(args.results, "follow-latest.txt"))
    print("saved %s (and follow-latest.txt)" % path)


if __name__ == "__main__":
    main()
