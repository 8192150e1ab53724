#!/usr/bin/env python3
"""The layer rules of src/, checked over its #include lines.

Usage: layers.py [SRC_DIR [ALLOW_FILE]]   check the tree (default: ../src
                                          and layers.allow beside this file)
       layers.py --self-test              check the checker on planted mistakes

Rules, each reported as FILE:LINE: #include ...: why
  1. A file includes headers only of the folders its row below allows.
  2. Only src/ui includes curses (<curses.h>, <ncurses.h>, <ncursesw/...>).
  3. The library (LIB_SOURCES in src/sources.am) includes only library
     files: nothing of src/ui, never run/main.c.
  4. Project includes are folder-qualified ("model/view.h") and exist.
  5. No headers include each other in a cycle, of any length.
A line of ALLOW_FILE, "src/FOLDER/FILE: INCLUDED" (# starts a comment),
excuses that one include line from rules 1 to 4. Exit status 1 on a
violation.

Who may include whom: a dependency points only down
base < pipe < capture, record, model < run < ui. capture, record and model
are siblings: none includes another.

    from \\ to   base  pipe  capture  record  model  run  ui
    base         x
    pipe         x     x
    capture      x     x     x
    record       x     x              x
    model        x     x                      x
    run          x     x     x        x       x      x
    ui           x     x     x        x       x      x    x
"""

import os
import re
import sys
import tempfile

MAY_INCLUDE = {
    "base": {"base"},
    "pipe": {"base", "pipe"},
    "capture": {"base", "pipe", "capture"},
    "record": {"base", "pipe", "record"},
    "model": {"base", "pipe", "model"},
    "run": {"base", "pipe", "capture", "record", "model", "run"},
    "ui": {"base", "pipe", "capture", "record", "model", "run", "ui"},
}
LAYERS = set(MAY_INCLUDE)
CURSES = re.compile(r"^(n?curses\.h|ncursesw?/.*)$")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def lib_sources(src):
    """LIB_SOURCES of src/sources.am, as paths under src/."""
    files, inside = set(), False
    with open(os.path.join(src, "sources.am"), encoding="utf-8") as f:
        for line in f:
            if re.match(r"^\s*LIB_SOURCES\s*=", line):
                inside = True
                line = line.split("=", 1)[1]
            if not inside:
                continue
            for word in line.replace("\\", " ").split():
                if word.startswith("src/"):
                    files.add(word[len("src/"):])
            if not line.rstrip().endswith("\\"):
                inside = False
    return files


def scan(src):
    """Every include line of src/: (file under src/, line number, quote, name)."""
    found = []
    for root, dirs, names in os.walk(src):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                for no, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if m:
                        found.append((rel, no, m.group(1), m.group(2)))
    return found


def project_include(quote, name):
    """Whether an include names a file of src/ (quoted, or <layer/...>)."""
    return quote == '"' or name.split("/")[0] in LAYERS


def line_rules(src, includes, lib):
    """Rules 1 to 4: a list of (file, line, quote, include, why)."""
    out = []
    for rel, no, quote, name in includes:
        layer = rel.split("/")[0]
        whys = []
        if not project_include(quote, name):
            if CURSES.match(name) and layer != "ui":
                whys.append("only src/ui may include curses")
        elif name == "config.h":
            pass
        elif name.split("/")[0] not in LAYERS or not os.path.isfile(os.path.join(src, name)):
            whys.append("not a folder-qualified file of src/")
        else:
            target = name.split("/")[0]
            if layer in LAYERS and target not in MAY_INCLUDE[layer]:
                whys.append("%s may not include %s" % (layer, target))
            if rel in lib and name not in lib:
                if target == "ui":
                    whys.append("the library may not include the UI")
                elif name == "run/main.c":
                    whys.append("the library may not include main")
                else:
                    whys.append("the library includes only LIB_SOURCES (src/sources.am)")
        out.extend((rel, no, quote, name, why) for why in whys)
    return out


def shown(quote, name):
    return '"%s"' % name if quote == '"' else "<%s>" % name


def cycles(src, includes):
    """Rule 5: one cycle per strongly connected set of headers, as a list of
    (file, line, include) edges."""
    edges = {}
    for rel, no, quote, name in includes:
        if rel.endswith(".h") and name.endswith(".h") and project_include(quote, name):
            if os.path.isfile(os.path.join(src, name)):
                edges.setdefault(rel, []).append((name, no))
    index, low, stack, on, sccs = {}, {}, [], set(), []

    def connect(v):  # Tarjan; header chains are short, recursion is fine
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w, _ in edges.get(v, []):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = set()
            while True:
                w = stack.pop()
                on.discard(w)
                scc.add(w)
                if w == v:
                    break
            sccs.append(scc)

    for v in sorted(edges):
        if v not in index:
            connect(v)
    found = []
    for scc in sccs:
        start = min(scc)
        if len(scc) == 1 and start not in [w for w, _ in edges.get(start, [])]:
            continue
        # A path from START back to it inside the set, breadth first.
        prev, todo = {}, [start]
        while todo and start not in prev:
            v = todo.pop(0)
            for w, no in edges.get(v, []):
                if w in scc and w not in prev:
                    prev[w] = (v, no)
                    todo.append(w)
        path, w = [], start
        while True:
            v, no = prev[w]
            path.append((v, no, w))
            w = v
            if w == start:
                break
        found.append(list(reversed(path)))
    return found


def read_allow(path):
    allow = set()
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    file, _, inc = line.partition(":")
                    allow.add((file.strip(), inc.strip()))
    return allow


def check(src, allow_path, out=sys.stdout):
    """Print the violations of the tree at SRC; their number."""
    includes = scan(src)
    allow = read_allow(allow_path)
    used, bad = set(), 0
    for rel, no, quote, name, why in line_rules(src, includes, lib_sources(src)):
        key = ("src/" + rel, name)
        if key in allow:
            used.add(key)
            continue
        print("src/%s:%d: #include %s: %s" % (rel, no, shown(quote, name), why), file=out)
        bad += 1
    for cycle in cycles(src, includes):
        names = " -> ".join(["src/" + cycle[0][0]] + ["src/" + w for _, _, w in cycle])
        for v, no, w in cycle:
            print('src/%s:%d: #include "%s": a header cycle: %s' % (v, no, w, names), file=out)
        bad += 1
    for file, inc in sorted(allow - used):
        print("note: %s: %s is allowed but no longer a violation: drop it from %s"
              % (file, inc, allow_path), file=out)
    return bad


PLANTED = {
    "sources.am": "LIB_SOURCES = \\\n\tsrc/base/a.c \\\n\tsrc/base/a.h \\\n"
                  "\tsrc/capture/c.c \\\n\tsrc/model/m.h \\\n\tsrc/model/m2.h \\\n"
                  "\tsrc/model/m3.h \\\n\tsrc/run/r.c \\\n\tsrc/run/r.h\nUI_SOURCES = src/ui/u.h\n",
    "base/a.h": "#include <stdio.h>\n",
    "base/a.c": '#include "config.h"\n#include "base/a.h"\n#include <ncursesw/curses.h>\n',
    "capture/c.c": '#include "base/a.h"\n#include "model/m.h"\n #  include "run/r.h"\n',
    "model/m.h": '#include "base/a.h"\n#include "model/m2.h"\n',
    "model/m2.h": '#include "model/m3.h"\n',
    "model/m3.h": '#include "model/m.h"\n',
    "model/self.h": '#include "model/self.h"\n',
    "pipe/p.c": '#include "p.h"\n#include <model/m.h>\n',
    "pipe/p.h": "",
    "run/r.h": "",
    "run/r.c": '#include "ui/u.h"\n#include "run/r.h"\n',
    "ui/u.h": '#include <curses.h>\n#include "run/r.h"\n',
}
PLANTED_ALLOW = "# temporary\nsrc/capture/c.c: run/r.h\nsrc/base/a.h: base/gone.h\n"
PLANTED_FOUND = """\
src/base/a.c:3: #include <ncursesw/curses.h>: only src/ui may include curses
src/capture/c.c:2: #include "model/m.h": capture may not include model
src/pipe/p.c:1: #include "p.h": not a folder-qualified file of src/
src/pipe/p.c:2: #include <model/m.h>: pipe may not include model
src/run/r.c:1: #include "ui/u.h": run may not include ui
src/run/r.c:1: #include "ui/u.h": the library may not include the UI
src/model/m.h:2: #include "model/m2.h": a header cycle: src/model/m.h -> src/model/m2.h -> src/model/m3.h -> src/model/m.h
src/model/m2.h:1: #include "model/m3.h": a header cycle: src/model/m.h -> src/model/m2.h -> src/model/m3.h -> src/model/m.h
src/model/m3.h:1: #include "model/m.h": a header cycle: src/model/m.h -> src/model/m2.h -> src/model/m3.h -> src/model/m.h
src/model/self.h:1: #include "model/self.h": a header cycle: src/model/self.h -> src/model/self.h
note: src/base/a.h: base/gone.h is allowed but no longer a violation: drop it from ALLOW
"""


def self_test():
    """Plant one mistake of each kind in a scratch tree; the check must
    report exactly those, and nothing on the clean lines beside them."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        for rel, text in PLANTED.items():
            os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
            with open(os.path.join(src, rel), "w", encoding="utf-8") as f:
                f.write(text)
        allow = os.path.join(tmp, "ALLOW")
        with open(allow, "w", encoding="utf-8") as f:
            f.write(PLANTED_ALLOW)

        class Lines(list):
            def write(self, s):
                self.append(s)

        got = Lines()
        bad = check(src, allow, got)
        text = "".join(got).replace(allow, "ALLOW")
        if bad != 8 or text != PLANTED_FOUND:
            print("layers.py --self-test: expected 8 violations:\n%s\ngot %d:\n%s"
                  % (PLANTED_FOUND, bad, text))
            return 1
    print("layers.py --self-test: every planted violation found")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    here = os.path.dirname(os.path.abspath(__file__))
    src = argv[1] if len(argv) > 1 else os.path.join(here, "..", "src")
    allow = argv[2] if len(argv) > 2 else os.path.join(here, "layers.allow")
    if not os.path.isfile(os.path.join(src, "sources.am")):
        print("layers.py: %s/sources.am not found" % src, file=sys.stderr)
        return 99
    bad = check(src, allow)
    if bad:
        print("%d layer rule violation(s): see README, Code layout" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
