"""Checks for the hostile-names test, with Python's own csv and json modules
as the standard readers.

  hostile_check.py record MANIFEST RECORD.csv RECORD.jsonl
      every file of the manifest is in both records byte for byte, and every
      event on it carries the comm its process set
  hostile_check.py snapshot MANIFEST SNAPSHOT.csv COLUMN
      a view snapshot (CSV, defused) holds each name of the manifest in its
      documented form: invalid UTF-8 as \\xHH, \\ as \\\\, a leading = + - @
      TAB or CR behind a '
  hostile_check.py clean FILE [WANT]
      FILE (a pane capture, a batch table) holds no control byte but LF, no
      C1 control, and, with WANT, the text WANT
"""
import csv
import json
import sys

csv.field_size_limit(1 << 24)


def manifest(path):
    """[(path bytes, comm bytes)]"""
    out = []
    with open(path) as f:
        for line in f:
            p, c = line.split()
            out.append((bytes.fromhex(p), bytes.fromhex(c)))
    return out


def surrogates(s):
    """The bytes a str read with surrogateescape stands for."""
    return s.encode("utf-8", "surrogateescape")


def check_record(man, csv_path, jsonl_path):
    wanted = {p: c for p, c in man}
    errors = []
    for kind, rows in (("csv", read_csv(csv_path)), ("jsonl", read_jsonl(jsonl_path))):
        seen = {}
        for path, comm in rows:
            if path in wanted:
                seen.setdefault(path, set()).add(comm)
        for p, c in man:
            comms = seen.get(p)
            if not comms:
                errors.append("%s: no event on %r" % (kind, p))
            elif comms != {c}:
                errors.append("%s: %r named %r, want %r" % (kind, p, sorted(comms), c))
    return errors


def read_csv(path):
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        r = csv.DictReader(f)
        assert r.fieldnames == ["time", "pid", "tid", "ppid", "uid", "user", "comm", "exe",
                                "unit", "event", "path", "start", "container", "cpath"], r.fieldnames
        return [(surrogates(row["path"]), surrogates(row["comm"])) for row in r]


def read_jsonl(path):
    rows = []
    with open(path, encoding="utf-8") as f:  # must be valid UTF-8 throughout
        for line in f:
            o = json.loads(line)
            rows.append((surrogates(o["path"]), surrogates(o["comm"])))
    return rows


def snapshot_form(raw):
    parts = []
    for ch in raw.decode("utf-8", "surrogateescape"):
        if 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte that is not UTF-8
            parts.append("\\x%02x" % (ord(ch) - 0xDC00))
        elif ch == "\\":
            parts.append("\\\\")
        else:
            parts.append(ch)
    text = "".join(parts)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def check_snapshot(man, path, column):
    with open(path, newline="", encoding="utf-8") as f:  # snapshots are valid UTF-8
        cells = {row[column] for row in csv.DictReader(f)}
    errors = []
    for p, c in man:
        raw = p if column == "path" else c
        form = snapshot_form(raw)
        if form not in cells:
            errors.append("%s %r: %r not in the snapshot" % (column, raw, form))
    return errors


def check_clean(path, want):
    data = open(path, "rb").read()
    errors = []
    for i, b in enumerate(data):
        if (b < 0x20 and b != 0x0A) or b == 0x7F:
            errors.append("raw byte 0x%02x at %d: %r" % (b, i, data[max(0, i - 20):i + 20]))
            break
    text = data.decode("utf-8", "replace")
    for ch in text:
        if 0x80 <= ord(ch) <= 0x9F or ord(ch) in (0x202E, 0x2066, 0x2069, 0x2028):
            errors.append("unsafe code point U+%04X on screen" % ord(ch))
            break
    if want and want not in text:
        errors.append("%r not shown" % want)
    return errors


def main():
    mode = sys.argv[1]
    if mode == "record":
        errors = check_record(manifest(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif mode == "snapshot":
        errors = check_snapshot(manifest(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif mode == "clean":
        errors = check_clean(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        sys.exit("unknown mode " + mode)
    for e in errors[:15]:
        print(e, file=sys.stderr)
    if errors:
        sys.exit("%d problems" % len(errors))


if __name__ == "__main__":
    main()
