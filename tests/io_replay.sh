# Replay through the real binary, no root needed: bad recordings exit 2 with
# one line; a recording with hostile names comes back byte-exact through
# --replay --record (CSV and JSONL, and between them), as Python's csv and
# json modules read it; recordings of every earlier layout (before the
# start field, and with start but before container and cpath) read as
# before; malformed lines are reported; stdin and pipes stream.
. "$TESTS_DIR/lib.sh"

# tricky.csv is as fanotop writes now; tricky_v1.csv has its first 18
# records as written before start came, tricky_v2.csv as written before
# container and cpath came.
fixture="$TESTS_DIR/fixtures/tricky.csv"
fixture_v1="$TESTS_DIR/fixtures/tricky_v1.csv"
fixture_v2="$TESTS_DIR/fixtures/tricky_v2.csv"
py=${PYTHON3:-python3}
S=$SCRATCH

# ---- not a recording: exit 2, one line ----
: >"$S/empty"
expect_status 2 "$FANOTOP" --replay="$S/empty" --record=-
expect_err "^fanotop: replay: $S/empty: empty file\$"
expect_status 2 "$FANOTOP" --replay=- --record=- </dev/null
expect_err "^fanotop: replay: stdin: empty file\$"
printf 'path,events\n/etc,3\n' >"$S/snapshot.csv"
expect_status 2 "$FANOTOP" --replay="$S/snapshot.csv" --record=-
expect_err "^fanotop: replay: $S/snapshot.csv: not a fanotop recording \(expected the CSV \
header time,pid,\.\.\. or JSON Lines\)\$"
printf '\n\n' >"$S/blank"
expect_status 2 "$FANOTOP" --replay="$S/blank" --batch
expect_err "not a fanotop recording"
expect_status 2 "$FANOTOP" --replay="$S/missing.csv" --record=-
expect_err "^fanotop: replay: $S/missing.csv: No such file or directory\$"
expect_status 2 "$FANOTOP" --replay="$S" --record=-
expect_err "^fanotop: replay: $S: Is a directory\$"

# ---- byte-exact round trips ----
expect_status 0 "$FANOTOP" --replay="$fixture" --record=-
cmp -s "$S/out" "$fixture" || fail "CSV -> CSV differs: $(cmp "$S/out" "$fixture")"
grep -q "^fanotop: 20 events, 1 kernel overflows, 0 ring losses\$" "$S/err" ||
    fail "summary: $(cat "$S/err")"

"$FANOTOP" --replay="$fixture" --record="$S/a.jsonl" --format=jsonl 2>/dev/null ||
    fail "CSV -> JSONL failed"
"$FANOTOP" --replay="$S/a.jsonl" --record=- 2>/dev/null >"$S/back.csv" ||
    fail "JSONL -> CSV failed"
cmp -s "$S/back.csv" "$fixture" ||
    fail "CSV -> JSONL -> CSV differs: $(cmp "$S/back.csv" "$fixture")"
"$FANOTOP" --replay="$S/a.jsonl" --record=- --format=jsonl 2>/dev/null >"$S/b.jsonl" ||
    fail "JSONL -> JSONL failed"
cmp -s "$S/a.jsonl" "$S/b.jsonl" || fail "JSONL -> JSONL differs"

# Through stdin, and two recordings concatenated (the second header is skipped).
cat "$fixture" "$fixture" | "$FANOTOP" --replay=- --record=- 2>"$S/err" >"$S/twice.csv" ||
    fail "stdin replay failed: $(cat "$S/err")"
{ cat "$fixture"; tail -n +2 "$fixture"; } | cmp -s - "$S/twice.csv" ||
    fail "concatenated replay differs"

# CRLF line ends (what Python's csv module writes by default) are read too.
"$py" - "$fixture" "$S/crlf.csv" <<'EOF' || fail "cannot write the CRLF copy"
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape") as f:
    rows = list(csv.reader(f))
with open(sys.argv[2], "w", newline="", encoding="utf-8", errors="surrogateescape") as f:
    csv.writer(f).writerows(rows)
EOF
"$FANOTOP" --replay="$S/crlf.csv" --record=- 2>"$S/err" | cmp -s - "$fixture" ||
    fail "CRLF recording does not come back as the fixture: $(cat "$S/err")"

# ---- a standard reader sees the same rows in CSV and JSONL, bytes and all ----
"$py" - "$fixture" "$S/a.jsonl" <<'EOF' || fail "Python's csv and json readers disagree"
import csv, json, sys
keys = "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path,start,container,cpath".split(",")
with open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape") as f:
    rows = list(csv.reader(f))
assert rows[0] == keys, rows[0]
rows = rows[1:]
raw = open(sys.argv[2], "rb").read()
raw.decode("utf-8")  # strict: JSONL must be valid UTF-8
lines = raw.split(b"\n")
assert lines[-1] == b"" and len(lines) - 1 == len(rows), (len(lines), len(rows))
for row, line in zip(rows, lines):
    obj = json.loads(line)
    assert list(obj) == keys, list(obj)
    for k in ("pid", "tid", "ppid", "uid"):
        assert isinstance(obj[k], int), (k, obj[k])
    got = [str(obj[k]) for k in keys]
    # Both sides as bytes: surrogateescape turns \udcXX back into the byte.
    enc = lambda v: [x.encode("utf-8", "surrogateescape") for x in v]
    assert enc(got) == enc(row), (got, row)
paths = [r[10].encode("utf-8", "surrogateescape") for r in rows]
for want in (b"/tmp/a,b", b'/tmp/say "hi"', b"/tmp/line1\nline2", b"/tmp/cr\r\nlf\r",
             b"/tmp/bad\xff\xfe name", b'=HYPERLINK("http://x","y")', b'"'):
    assert want in paths, want
assert [r[9] for r in rows].count("overflow") == 1
cpaths = [r[13].encode("utf-8", "surrogateescape") for r in rows]
for want in (b"/etc/nginx.conf", b'/data/a,b "q"\nline2', b"/bad\xfe name"):
    assert want in cpaths, want
assert "k8s:default/api-7d9f" in [r[12] for r in rows]
assert "2026-11-22T10:00:04.500000Z" in [r[11] for r in rows]
EOF

# ---- older recordings: the same events, the fields they lack filled as now ----
# (start unknown; a container's id stands for its name; no cpath), in CSV
# and in JSON Lines without those keys.
for v in 1 2; do
    eval "old=\$fixture_v$v"
    "$FANOTOP" --replay="$old" --record="$S/v$v.csv" 2>"$S/err" ||
        fail "layout $v: replay failed: $(cat "$S/err")"
    "$py" - "$old" "$S/v$v.csv" "$fixture" "$v" <<'EOF' || fail "layout $v does not read as before"
import csv, sys
def rows(p):
    with open(p, newline="", encoding="utf-8", errors="surrogateescape") as f:
        return list(csv.reader(f))
old, new, now, v = rows(sys.argv[1]), rows(sys.argv[2]), rows(sys.argv[3]), sys.argv[4]
v1 = "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path".split(",")
assert old[0] == (v1 if v == "1" else v1 + ["start"]), old[0]
assert new[0] == now[0], new[0]
assert len(new) == len(old) == 19, (len(new), len(old))
for o, n, w in zip(old[1:], new[1:], now[1:]):
    start = o[11] if v == "2" else ""
    assert n == o[:11] + [start, o[8] if o[8].startswith("docker:") else "", ""], (o, n)
    assert n[:11] == w[:11] and (v == "1" or n[11] == w[11]), (n, w)
EOF
    # The same in JSON Lines: the keys that came later are missing.
    "$py" - "$old" "$S/v$v.jsonl" <<'EOF' || fail "cannot write layout $v as JSON Lines"
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape") as f:
    rows = list(csv.reader(f))
with open(sys.argv[2], "w", encoding="utf-8", errors="surrogateescape") as out:
    for r in rows[1:]:
        obj = dict(zip(rows[0], r))
        for k in ("pid", "tid", "ppid", "uid"):
            obj[k] = int(obj[k])
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
EOF
    "$FANOTOP" --replay="$S/v$v.jsonl" --record=- 2>"$S/err" | cmp -s - "$S/v$v.csv" ||
        fail "layout $v: JSONL -> CSV differs from CSV -> CSV: $(cat "$S/err")"
done

# ---- malformed lines: skipped, counted, reported once; exit 0 ----
{
    head -n 2 "$fixture_v1" # lines of the first format, which is read as before
    echo '2026-11-22T10:00:09.000000Z,1,1,0,0,root,x,/x,,open,"/never closed'
    echo '2026-13-22T10:00:09.000000Z,1,1,0,0,root,x,/x,,open,/bad-time'
    echo '2026-11-22T10:00:09.000000Z,1,1,0,0,root,x,/x,,teleport,/bad-type'
    echo '2026-11-22T10:00:09.000000Z,one,1,0,0,root,x,/x,,open,/bad-pid'
    echo '2026-11-22T10:00:09.000000Z,1,1,0,0,root,x,/x,open,/short'
    echo '2026-11-22T10:00:10.000000Z,1,1,0,0,root,x,/x,,open,/good'
} >"$S/bad.csv"
expect_status 0 "$FANOTOP" --replay="$S/bad.csv" --record=-
want="fanotop: replay: 5 malformed lines skipped, first at line 3: unterminated quote"
grep -qxF "$want" "$S/err" ||
    fail "malformed notice: $(cat "$S/err")"
[ "$(grep -c . "$S/out")" = 3 ] || fail "expected header + 2 good lines: $(cat "$S/out")"
tail -n 1 "$S/out" | grep -q ',open,/good,,,$' || fail "the good line after the bad ones is missing"

{
    echo '{"time":"2026-11-22T10:00:00Z","pid":1,"event":"open","path":"/a"}'
    echo '{"time":1}'
    echo 'not json'
} >"$S/bad.jsonl"
expect_status 0 "$FANOTOP" --replay="$S/bad.jsonl" --record=-
want="fanotop: replay: 2 malformed lines skipped, first at line 2: field time: expected a string"
grep -qxF "$want" "$S/err" ||
    fail "JSONL malformed notice: $(cat "$S/err")"

# ---- streaming: an event comes out while the writer is still open ----
mkfifo "$S/fifo"
"$FANOTOP" --replay="$S/fifo" --record="$S/live.csv" 2>"$S/live.err" &
pid=$!
exec 3>"$S/fifo"
head -n 2 "$fixture" >&3
i=0
until grep -q /etc/hosts "$S/live.csv" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 500 ] || { exec 3>&-; kill $pid; fail "no event while the pipe stays open"; }
    sleep 0.01
done
tail -n +3 "$fixture" >&3
exec 3>&-
wait $pid || fail "fifo replay exited $?: $(cat "$S/live.err")"
cmp -s "$S/live.csv" "$fixture" || fail "fifo replay differs from the fixture"

# ---- --replay-speed holds events to the recorded pace (a lower bound only) ----
{
    echo 'time,pid,tid,ppid,uid,user,comm,exe,unit,event,path'
    echo '2026-11-22T10:00:00.000000Z,1,1,0,0,root,x,/x,,open,/a'
    echo '2026-11-22T10:00:02.000000Z,1,1,0,0,root,x,/x,,open,/b'
} >"$S/slow.csv"
start=$(date +%s%N)
"$FANOTOP" --replay="$S/slow.csv" --replay-speed=4 --record=- >/dev/null 2>&1 ||
    fail "paced replay failed"
elapsed=$((($(date +%s%N) - start) / 1000000))
[ "$elapsed" -ge 450 ] || fail "2 s recorded at speed 4 took only ${elapsed} ms"
exit 0
