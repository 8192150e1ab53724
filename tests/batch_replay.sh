# Batch mode on a replay fixture: exact CSV snapshots of each view, the text
# table (header line, escaping of hostile names), --sort, --filter, and the
# error for an unknown sort column.
. "$TESTS_DIR/lib.sh"

FIX=$TESTS_DIR/fixtures/batch.csv

batch() {
    "$FANOTOP" --replay="$FIX" --batch -n 1 "$@" >"$SCRATCH/out" 2>"$SCRATCH/err" ||
        fail "fanotop $* exited $?: $(cat "$SCRATCH/err")"
    [ -s "$SCRATCH/err" ] && fail "fanotop $* wrote to stderr: $(cat "$SCRATCH/err")"
    return 0
}

expect_out() {
    printf '%s\n' "$@" >"$SCRATCH/want"
    diff -u "$SCRATCH/want" "$SCRATCH/out" >&2 || fail "unexpected output (diff above)"
}

# A replay's rates are of its recorded seconds: the last one had one open.
batch --format=csv -v processes
expect_out \
    'pid,comm,user,unit,exe,events,files,last,rate' \
    '300,nginx,root,docker:4f3c2a9e81b7,/usr/sbin/nginx,4,2,2026-11-22T10:00:04.000000Z,1.000' \
    '200,vim,alice,,/usr/bin/vim,3,2,2026-11-22T10:00:03.000000Z,0.000' \
    '100,cat,root,ssh.service,/usr/bin/cat,2,1,2026-11-22T10:00:00.000003Z,0.000' \
    '100,sh,root,ssh.service,/bin/sh,1,1,2026-11-22T10:00:00.000001Z,0.000'

batch --format=csv -v units
expect_out \
    'unit,events,procs,files,last' \
    'docker:4f3c2a9e81b7,4,1,2,2026-11-22T10:00:04.000000Z' \
    'ssh.service,3,2,1,2026-11-22T10:00:00.000003Z' \
    ',3,1,2,2026-11-22T10:00:03.000000Z'

batch --format=csv -v types
expect_out \
    'type,events,share,rate' \
    'open,4,36.364,1.000' \
    'modify,4,36.364,0.000' \
    'access,1,9.091,0.000' \
    'close_nowrite,1,9.091,0.000' \
    'create,1,9.091,0.000'

batch --format=csv -v tree
expect_out \
    'path,events,files,last' \
    '/,10,5,2026-11-22T10:00:04.000000Z' \
    '/etc,3,1,2026-11-22T10:00:00.000003Z' \
    '/var,3,1,2026-11-22T10:00:03.700000Z' \
    '/home,2,1,2026-11-22T10:00:02.000000Z' \
    '/tmp,2,2,2026-11-22T10:00:04.000000Z'

# The events view: oldest first, the overflow marker where it happened.
batch --format=csv -v events
want='2026-11-22T10:00:00.000001Z,100,100,sh,root,ssh.service,open,,/etc/hosts'
[ "$(sed -n 2p "$SCRATCH/out")" = "$want" ] || fail "events: first row $(sed -n 2p "$SCRATCH/out")"
want='2026-11-22T10:00:00.000002Z,100,100,cat,root,ssh.service,open|access,,/etc/hosts'
[ "$(sed -n 3p "$SCRATCH/out")" = "$want" ] || fail "events: second row $(sed -n 3p "$SCRATCH/out")"
tail -n 1 "$SCRATCH/out" | grep -q '^2026-11-22T10:00:05.000000Z,0,0,.*,overflow,,$' ||
    fail "events: no overflow marker at the end: $(tail -n 1 "$SCRATCH/out")"
[ "$(wc -l <"$SCRATCH/out")" = 12 ] || fail "events: $(wc -l <"$SCRATCH/out") lines, want 12"

# Sort and filter options apply.
batch --format=csv -v paths -s path
evil="/tmp/evil$(printf '\033')]0;pwned$(printf '\007')name"
want="path /etc/hosts /home/alice/notes.txt $evil /tmp/x /var/log/nginx/access.log "
[ "$(cut -d, -f1 "$SCRATCH/out" | tr '\n' ' ')" = "$want" ] ||
    fail "sort by path: $(cut -d, -f1 "$SCRATCH/out" | cat -v | tr '\n' ' ')"
batch --format=csv -v paths -f 'comm:^cat$'
types=open,access,modify,close_write,close_nowrite,open_exec,attrib,create,delete
types=$types,moved_from,moved_to,delete_self,move_self
expect_out \
    "path,events,$types,procs,last,rate" \
    '/etc/hosts,2,1,1,0,0,1,0,0,0,0,0,0,0,0,1,2026-11-22T10:00:00.000003Z,0.000'
batch --format=csv -v types -f 'type:modify'
expect_out 'type,events,share,rate' 'modify,4,100.000,0.000'

# The text table: a header line with the totals, then columns; hostile
# names escaped so no control byte reaches the terminal.
batch -v paths
head -n 1 "$SCRATCH/out" |
    grep -qE '^fanotop - [0-9-]+ [0-9:]+ - events: 10, rate: [0-9.]+/s, rows: 5/5, '\
'overflows: 1, ring losses: 0' ||
    fail "table header: $(head -n 1 "$SCRATCH/out")"
sed -n 2p "$SCRATCH/out" | grep -q '^view: paths, sort: events desc, filter: none$' ||
    fail "table view line: $(sed -n 2p "$SCRATCH/out")"
sed -n 4p "$SCRATCH/out" | grep -qE '^path +events +open ' ||
    fail "column header: $(sed -n 4p "$SCRATCH/out")"
grep -qF '/tmp/evil\x1b]0;pwned\x07name' "$SCRATCH/out" ||
    fail "escaped name missing: $(cat -v "$SCRATCH/out")"
LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$SCRATCH/out" &&
    fail "raw control byte in table output"
grep -qE '^/etc/hosts +3 +2 +1 ' "$SCRATCH/out" || fail "row for /etc/hosts: $(cat "$SCRATCH/out")"

# The tree table indents by depth.
batch -v tree
grep -qE '^  etc/ +3 +1 ' "$SCRATCH/out" || fail "tree row: $(cat "$SCRATCH/out")"

# Unknown sort column: one line naming the view's columns, status 2.
expect_status 2 "$FANOTOP" --replay="$FIX" --batch -n 1 -v units -s bogus
expect_err "^fanotop: unknown sort column 'bogus' for view units "\
'\(columns: unit, events, procs, files, last\)$'
exit 0
