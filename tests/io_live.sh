# Round trip of real events (root): record file operations on names with
# commas, quotes, newlines, CR, a leading = - @, a backslash and invalid
# UTF-8; Python's csv module reads each name back byte for byte; replay
# reproduces the recording exactly (CSV and through JSONL); the events view
# exported from the replay holds the same rows, field for field.
. "$TESTS_DIR/lib.sh"
need_root
py=${PYTHON3:-python3}
dir=$(mount_tmpfs)
rec=$SCRATCH/rec.csv

cat >"$SCRATCH/names.py" <<'EOF'
NAMES = [b"a,b", b'say "hi"', b"line1\nline2", b"cr\r\nlf", b"=SUM(1+1)", b"-rf", b"@x",
         b"bad\xff\xfe", b"tab\tx", b"back\\slash", b"h\xc3\xa9 \xf0\x9f\x8e\x89", b"sp ace"]
EOF

cat >"$SCRATCH/ops.py" <<'EOF'
import os, sys
sys.path.insert(0, os.path.dirname(sys.argv[0]))
from names import NAMES
import time
d = os.fsencode(sys.argv[1])
for n in NAMES:
    p = os.path.join(d, n)
    with open(p, "wb") as f:
        f.write(b"x")
    with open(p, "rb") as f:
        f.read()
# fd-mode events are named when fanotop reads them: keep the names a moment.
time.sleep(0.3)
for n in NAMES:
    p = os.path.join(d, n)
    os.rename(p, p + b".2")
    os.unlink(p + b".2")
EOF

"$FANOTOP" --record="$rec" "$dir" -- "$py" "$SCRATCH/ops.py" "$dir" 2>"$SCRATCH/err" ||
    fail "recording failed: $(cat "$SCRATCH/err")"

# Every name is in the recording, exactly, as a standard CSV reader sees it.
"$py" - "$rec" "$dir" "$SCRATCH" <<'EOF' || fail "names do not round-trip through the CSV reader"
import csv, os, sys
sys.path.insert(0, sys.argv[3])
from names import NAMES
with open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape") as f:
    rows = list(csv.DictReader(f))
d = os.fsencode(sys.argv[2])
seen = {}
for r in rows:
    seen.setdefault(r["path"].encode("utf-8", "surrogateescape"), set()).update(
        r["event"].split("|"))
for n in NAMES:
    p = os.path.join(d, n)
    if "open" not in seen.get(p, ()):
        sys.exit("no open event on %r; paths: %r" % (p, sorted(seen)))
    if "moved_from" in seen.get(p, ()) and "moved_to" not in seen.get(p + b".2", ()):
        sys.exit("moved_from without moved_to for %r: %r" % (p, seen))
EOF

# Replay gives the recording back byte for byte, directly and through JSONL.
"$FANOTOP" --replay="$rec" --record=- 2>/dev/null | cmp -s - "$rec" ||
    fail "replay -> record differs from the recording"
"$FANOTOP" --replay="$rec" --record="$SCRATCH/rec.jsonl" --format=jsonl 2>/dev/null ||
    fail "replay -> JSONL failed"
"$FANOTOP" --replay="$SCRATCH/rec.jsonl" --record=- 2>/dev/null | cmp -s - "$rec" ||
    fail "CSV -> JSONL -> CSV differs from the recording"

# The events view of the replay, exported, holds the same rows; view
# snapshots escape bytes that are not UTF-8 as \xHH and \ as \\.
for raw in --csv-raw ""; do
    "$FANOTOP" --replay="$rec" --batch -n 1 -v events --format=csv $raw \
        >"$SCRATCH/view.csv" 2>"$SCRATCH/err" || fail "batch export failed: $(cat "$SCRATCH/err")"
    "$py" - "$rec" "$SCRATCH/view.csv" "$raw" <<'EOF' || fail "events view $raw differs from the recording"
import csv, sys

def snapshot_escape(s, defuse):
    b = s.encode("utf-8", "surrogateescape")
    out, i = [], 0
    while i < len(b):
        for n in (4, 3, 2, 1):
            try:
                ch = b[i:i + n].decode("utf-8")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and not (0xD800 <= ord(ch) <= 0xDFFF):
                out.append("\\\\" if ch == "\\" else ch)
                i += n
                break
        else:
            out.append("\\x%02x" % b[i])
            i += 1
    t = "".join(out)
    return "'" + t if defuse and t[:1] in ("=", "+", "-", "@", "\t", "\r") else t

def read(path):
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        return list(csv.DictReader(f))

rec, view, defuse = read(sys.argv[1]), read(sys.argv[2]), sys.argv[3] == ""
cols = list(view[0].keys()) if view else []
want = sorted(tuple(snapshot_escape(r[c], defuse) for c in cols) for r in rec)
got = sorted(tuple(r[c] for c in cols) for r in view)
if not cols or len(want) != len(got) or want != got:
    for w, g in zip(want, got):
        if w != g:
            sys.exit("first difference:\n want %r\n got  %r" % (w, g))
    sys.exit("%d rows in the recording, %d in the view" % (len(want), len(got)))
EOF
done
exit 0
