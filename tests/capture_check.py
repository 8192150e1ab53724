"""Assertions on fanotop record files for the live capture tests.

Usage: capture_check.py CHECK RECORD ARGS...  (exit status 1 with a message
on failure). Records are read as the contract says: CSV with the header
time,pid,tid,ppid,uid,user,comm,exe,unit,event,path,start,container,cpath
(RFC 4180, read with the csv module), or JSON Lines with the same keys.
"""
import csv
import json
import re
import sys

HEADER = ["time", "pid", "tid", "ppid", "uid", "user", "comm", "exe", "unit", "event", "path",
          "start", "container", "cpath"]
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|\+00:00)$")


def load(path):
    """The events of a record (process lines, an ancestor's identity with
    no event and no path, are left out)."""
    return [r for r in load_all(path) if r["event"] or r["path"]]


def load_all(path):
    with open(path, "rb") as f:
        head = f.read(1)
    if head == b"{":
        rows = []
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            for line in f:
                rows.append({k: str(v) for k, v in json.loads(line).items()})
        return rows
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        r = csv.reader(f)
        header = next(r, None)
        if header != HEADER:
            sys.exit("record header %r, want %r" % (header, HEADER))
        return [dict(zip(HEADER, row)) for row in r]


def types(row):
    return set(row["event"].split("|"))


def check_common(rows, fpid):
    for r in rows:
        if r["event"] == "overflow":
            continue
        if int(r["pid"]) == fpid:
            sys.exit("an event of fanotop itself was recorded: %r" % r)
        if not TIME_RE.match(r["time"]):
            sys.exit("time %r is not ISO 8601 UTC with microseconds" % r["time"])


FD_TYPES = {"open", "access", "modify", "close_write", "close_nowrite", "open_exec"}


def check_ops(rows, d, pid, child, fpid, outside, fd_only=False):
    """fd_only: a filesystem that cannot report file handles, where only
    the event types of descriptors can be seen."""
    check_common(rows, fpid)
    weird = d + '/we ird,na"me\nx.txt'
    want = [
        ("create", "created.txt", pid, "fsops"),
        ("open", "created.txt", pid, "fsops"),
        ("modify", "created.txt", pid, "fsops"),
        ("close_write", "created.txt", pid, "fsops"),
        ("access", "created.txt", pid, "fsops"),
        ("close_nowrite", "created.txt", pid, "fsops"),
        ("attrib", "created.txt", pid, "fsops"),
        ("moved_from", "created.txt", pid, "fsops"),
        ("moved_to", "renamed.txt", pid, "fsops"),
        ("move_self", "renamed.txt", pid, "fsops"),
        ("delete", "renamed.txt", pid, "fsops"),
        ("delete_self", "renamed.txt", pid, "fsops"),
        ("create", weird, pid, "fsops"),
        ("modify", weird, pid, "fsops"),
        ("access", weird, pid, "fsops"),
        ("delete", weird, pid, "fsops"),
        ("open_exec", "fsops-cat", child, "fsops-cat"),
        ("open", "exec-input.txt", child, "fsops-cat"),
        ("access", "exec-input.txt", child, "fsops-cat"),
        ("close_nowrite", "exec-input.txt", child, "fsops-cat"),
    ]
    for typ, name, p, comm in want:
        if fd_only and typ not in FD_TYPES:
            continue
        path = name if name.startswith("/") else d + "/" + name
        hits = [r for r in rows if typ in types(r) and r["path"] == path and int(r["pid"]) == p]
        if not hits:
            near = [(r["event"], r["pid"], r["comm"]) for r in rows if r["path"] == path]
            sys.exit("no %s of %r by pid %d; events on that path: %r" % (typ, path, p, near))
        bad = [r for r in hits if r["comm"] != comm]
        if bad:
            sys.exit("%s of %r: comm %r, want %r" % (typ, path, bad[0]["comm"], comm))
        r = hits[0]
        # The exec'd child may be gone before its first event is read: then
        # its uid is unknown ((uid_t)-1, no user name), never someone else's.
        users = {("root", 0)} | ({("", 4294967295)} if p == child else set())
        if int(r["tid"]) != p or (r["user"], int(r["uid"])) not in users:
            sys.exit("%s of %r: tid/user/uid wrong: %r" % (typ, path, r))
    kid = [r for r in rows if int(r["pid"] or 0) == child and r["path"].endswith("exec-input.txt")]
    if any(int(r["ppid"]) not in (pid, 0) for r in kid):
        sys.exit("the exec'd child's ppid is not fsops: %r" % kid[0])
    if any(r["exe"] not in (d + "/fsops-cat", "") for r in kid):
        sys.exit("the exec'd child's exe is wrong: %r" % kid[0])
    for r in rows:
        if r["event"] == "overflow":
            continue
        if r["path"] != d and not r["path"].startswith(d + "/"):
            sys.exit("event outside the watched directory: %r" % r)
        if r["path"].startswith(outside):
            sys.exit("event outside the scope recorded: %r" % r)


def main():
    check, rec = sys.argv[1], sys.argv[2]
    rows = load(rec)
    a = sys.argv[3:]
    if check == "ops":
        check_ops(rows, a[0], int(a[1]), int(a[2]), int(a[3]), a[4], a[5:] == ["fd-only"])
    elif check == "overflow":
        fpid, summary = int(a[0]), a[1]
        check_common(rows, fpid)
        n = sum(1 for r in rows if r["event"] == "overflow")
        if n == 0:
            sys.exit("no overflow record among %d records" % len(rows))
        bad = [r for r in rows if r["event"] == "overflow" and (r["path"] or r["pid"] not in ("0", ""))]
        if bad:
            sys.exit("overflow record with a path or a process: %r" % bad[0])
        m = re.search(r"(\d+) kernel overflows", summary)
        if not m or int(m.group(1)) != n:
            sys.exit("summary %r does not count the %d overflow records" % (summary, n))
        print("%d overflow records" % n)
    elif check == "comm":
        # comm FILE COMM MIN_PERCENT: share of events on FILE carrying COMM
        path, comm, pct = a[0], a[1], float(a[2])
        on = [r for r in rows if r["path"] == path]
        good = sum(1 for r in on if r["comm"] == comm)
        share = 100.0 * good / len(on) if on else 0.0
        print("%d/%d events on %s carry comm %s (%.2f%%)" % (good, len(on), path, comm, share))
        if share < pct:
            others = sorted({r["comm"] for r in on if r["comm"] != comm})
            sys.exit("only %.2f%% (want >= %.1f%%); other comms: %r" % (share, pct, others))
    elif check == "parent":
        # parent FILE PPID UID MIN_PERCENT: share of events on FILE naming PPID and UID
        path, ppid, uid, pct = a[0], a[1], a[2], float(a[3])
        on = [r for r in rows if r["path"] == path]
        good = sum(1 for r in on if r["ppid"] == ppid and r["uid"] == uid)
        share = 100.0 * good / len(on) if on else 0.0
        print("%d/%d events on %s carry ppid %s and uid %s (%.2f%%)" % (good, len(on), path, ppid, uid, share))
        if share < pct:
            sys.exit("only %.2f%% (want >= %.1f%%): %r" % (share, pct, sorted({(r["ppid"], r["uid"]) for r in on})))
    elif check == "pids":
        # pids FILE PID:COMM...: every event on FILE by PID carries COMM
        path = a[0]
        for spec in a[1:]:
            p, comm = spec.split(":", 1)
            evs = [r for r in rows if r["path"] == path and r["pid"] == p]
            if not evs:
                sys.exit("no event on %s by pid %s" % (path, p))
            if {r["comm"] for r in evs} != {comm}:
                sys.exit("pid %s on %s: comm %r, want %r" % (p, path, {r["comm"] for r in evs}, comm))
    elif check == "field":
        # field FILE FIELD VALUE...: every event on FILE has FIELD equal to one VALUE
        path, field, values = a[0], a[1], a[2:]
        evs = [r for r in rows if r["path"] == path]
        if not evs:
            sys.exit("no event on %s" % path)
        bad = [r for r in evs if r[field] not in values]
        if bad:
            sys.exit("%s of %s: %r, want %s; event: %r" % (field, path, bad[0][field], " or ".join(values), bad[0]))
    elif check == "share":
        # share PREFIX FIELD VALUE MIN_PERCENT: share of events under PREFIX with FIELD == VALUE
        prefix, field, value, pct = a[0], a[1], a[2], float(a[3])
        on = [r for r in rows if r["path"].startswith(prefix) and r["event"] != "overflow"]
        good = sum(1 for r in on if r[field] == value)
        share = 100.0 * good / len(on) if on else 0.0
        print("%d/%d events on %s* have %s %s (%.2f%%)" % (good, len(on), prefix, field, value, share))
        if share < pct:
            others = sorted({(r[field], r["exe"]) for r in on if r[field] != value})
            sys.exit("only %.2f%% (want >= %.1f%%); others: %r" % (share, pct, others[:10]))
    elif check == "count":
        # count PREFIX MIN: at least MIN events under PREFIX
        n = sum(1 for r in rows if r["path"].startswith(a[0]))
        print("%d events under %s" % (n, a[0]))
        if n < int(a[1]):
            sys.exit("only %d events under %s, want >= %s" % (n, a[0], a[1]))
    else:
        sys.exit("unknown check " + check)


if __name__ == "__main__":
    main()
