"""Per-event assertions on fanotop records for the path tests.

Usage: path_check.py CHECK RECORD ARGS...  (exit status 1 with a message
on failure; a line of figures on success). Records are CSV or JSON Lines,
read as capture_check.py reads them. A path that starts with "?" is not a
certain name: "?" and what is known follow (README: Output formats).
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from capture_check import load, types  # noqa: E402

WRITES = {"modify", "close_write"}
csv.field_size_limit(1 << 30)  # paths of any length


def race(rows, manifest, inside, present_share=99):
    """pathops race: every event under a round's directory names where the
    directory was at that event (before the move; the move's own moved_to
    and move_self after it), or carries the mark; at least PRESENT_SHARE %
    of the writes made inside INSIDE are recorded, named right or marked."""
    truth = {}  # round directory name -> (where it was, where it went)
    for line in open(manifest):
        where, f = line.split(" ", 1)
        d = os.path.dirname(f.rstrip("\n"))
        base = os.path.dirname(d)
        other = base[: -len(os.path.basename(base))]
        went = other + ("out" if where == "in" else "in")
        truth[os.path.basename(d)] = (d, os.path.join(went, os.path.basename(d)))
    # the rounds' directories lie in INSIDE's parent: others of the same
    # names elsewhere (another test's, watched as a filesystem) are not theirs
    base = os.path.dirname(inside)
    wrong, marked, inside_ok = [], 0, set()
    for r in rows:
        p, t = r["path"], types(r)
        if r["event"] == "overflow":
            continue
        sure = not p.startswith("?")
        q = p if sure else p[1:]
        if not q.startswith(base + "/"):
            continue
        name = None
        for part in q.split("/"):
            if part in truth:
                name = part
        if name is None:
            continue
        was, went = truth[name]
        after = t <= {"moved_to", "move_self"}
        want = went if after else was
        if not (q == want or q.startswith(want + "/")):
            if sure:
                wrong.append((p, r["event"], want))
            continue
        if not sure:
            marked += 1
        if t & WRITES and q == was + "/f" and was.startswith(inside + "/"):
            inside_ok.add(name)
    made = [n for n, (was, _) in truth.items() if was.startswith(inside + "/")]
    present = len(inside_ok)
    print("rounds %d, writes inside %d, present %d (%.1f%%), marked %d, wrong %d"
          % (len(truth), len(made), present, 100.0 * present / max(len(made), 1), marked, len(wrong)))
    if wrong:
        sys.exit("events under a wrong directory: %r" % wrong[:5])
    if present * 100 < present_share * len(made):
        missing = sorted(set(made) - inside_ok)
        sys.exit("writes inside %s missing: %r" % (inside, missing[:10]))


def has(rows, path, want_types, sure=True):
    """A record of PATH (exactly) with every type of WANT_TYPES among its
    events (spread over several records of it)."""
    got = set()
    for r in rows:
        if r["path"] == path:
            got |= types(r)
    if not set(want_types) <= got:
        sys.exit("no %s on %r: %s" % ("|".join(want_types), path[:200] + "...", sorted(got)))


def none_under(rows, prefix, comm=None):
    """No record under PREFIX (of COMM, when given)."""
    bad = [r for r in rows if (r["path"] == prefix or r["path"].startswith(prefix + "/"))
           and (comm is None or r["comm"] == comm)]
    if bad:
        sys.exit("records under %s: %r" % (prefix, [(b["comm"], b["event"], b["path"]) for b in bad[:5]]))


def main():
    check, rec = sys.argv[1], sys.argv[2]
    rows = load(rec)
    args = sys.argv[3:]
    if check == "race":
        race(rows, args[0], args[1])
    elif check == "race-named":  # as race, but no share of writes is asked for
        race(rows, args[0], args[1], present_share=0)
    elif check == "has":  # PATH TYPES,...
        has(rows, args[0], args[1].split(","))
    elif check == "has-file":  # FILE-WITH-PATH TYPES: the path is the file's content
        with open(args[0], "rb") as f:
            path = f.read().decode("utf-8", "surrogateescape").rstrip("\n")
        has(rows, path, args[1].split(","))
    elif check == "none-under":  # PREFIX [COMM]
        none_under(rows, args[0], args[1] if len(args) > 1 else None)
    elif check == "only":  # COMM PATH TYPE: COMM's TYPE events name PATH and nothing else
        comm, path, t = args
        seen = [r["path"] for r in rows if r["comm"] == comm and t in types(r)]
        if not seen or any(p != path for p in seen):
            sys.exit("%s events of %s: %r, want only %s" % (t, comm, seen, path))
    else:
        sys.exit("unknown check " + check)


if __name__ == "__main__":
    main()
