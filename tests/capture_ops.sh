# Live capture of known operations (create, write, read, chmod, rename,
# delete, exec of a copied binary, a name with a space, a comma, a quote and
# a newline) on a scratch tmpfs and on a directory of the root filesystem:
# each is recorded with the right type, path, pid and comm; fanotop's own
# events and events outside PATH are not. On a filesystem that cannot report
# file handles (ramfs), open, read, write, close and exec still are, named
# through event descriptors, with one notice for the rest.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"

run_ops() { # run_ops DIR FORMAT [fd-only]
    dir=$1/watched
    outside=$1/outside
    mkdir -p "$dir" "$outside"
    echo x >"$outside/file"
    rec="$SCRATCH/ops.$2"
    fanotop_start "$rec" --format="$2" "$dir"
    "$FSOPS" ops "$dir" >"$SCRATCH/fsops.out" || fail "fsops failed"
    "$FSOPS" read "$outside/file" || fail "fsops read failed"
    fanotop_stop
    pid=$(sed -n 's/^pid //p' "$SCRATCH/fsops.out")
    child=$(sed -n 's/^child //p' "$SCRATCH/fsops.out")
    "$PY" "$TESTS_DIR/capture_check.py" ops "$rec" "$dir" "$pid" "$child" "$FPID" "$outside" ${3:-} ||
        fail "$2 record on $1 is wrong"
    grep -qE '^fanotop: [0-9]+ events, 0 kernel overflows, 0 ring losses$' "$SCRATCH/fanotop.err" ||
        fail "no summary line: $(cat "$SCRATCH/fanotop.err")"
}

# A file written after its last name has gone is marked " (deleted)", as
# the kernel and lsof mark it.
deleted_check() { # deleted_check DIR
    d=$1/gone-test
    mkdir -p "$d"
    fanotop_start "$SCRATCH/gone.csv" "$d"
    exec 7>"$d/gone"
    # The kernel merges a write into the open still queued for the same
    # file: let fanotop read the open first.
    n=0
    until grep -q "$d/gone,[^,]*,[^,]*,[^,]*\$" "$SCRATCH/gone.csv" 2>/dev/null; do
        n=$((n + 1))
        [ $n -lt 200 ] || fail "the open of $d/gone was not recorded"
        sleep 0.05
    done
    rm "$d/gone"
    echo x >&7
    exec 7>&-
    echo y >"$d/kept"
    fanotop_stop
    grep -qE ",[^,]*(modify|close_write)[^,]*,$d/gone \(deleted\),[^,]*,[^,]*,[^,]*\$" "$SCRATCH/gone.csv" ||
        fail "no write to the deleted file marked in $1: $(cat "$SCRATCH/gone.csv")"
    grep -qE ",[^,]*close_write[^,]*,$d/kept,[^,]*,[^,]*,[^,]*\$" "$SCRATCH/gone.csv" ||
        fail "a file with its name was marked in $1: $(cat "$SCRATCH/gone.csv")"
}

tmp=$(mount_tmpfs)
deleted_check "$tmp"
deleted_check "$(rootfs_dir)"
run_ops "$tmp" csv
run_ops "$(rootfs_dir)" csv
rm -rf "${tmp:?}"/*
run_ops "$tmp" jsonl

ram="$SCRATCH/ramfs"
mkdir -p "$ram"
mount -t ramfs fanotop-test "$ram" || fail "cannot mount ramfs"
echo "umount -l '$ram' 2>/dev/null" >>"$_cleanup_file"
run_ops "$ram" csv fd-only
deleted_check "$ram"
grep -q "^fanotop: notice: no create/delete/move/attrib events on $ram (ramfs: " \
    "$SCRATCH/fanotop.err" || fail "no notice for ramfs: $(cat "$SCRATCH/fanotop.err")"
exit 0
