# Documentation: every long option of --help is in the man page and the
# README; the man page lints clean; every key of the help screen is in the man page.
. "$TESTS_DIR/lib.sh"

man="$top_srcdir/man/fanotop.8"
readme="$top_srcdir/README"
"$FANOTOP" --help >"$SCRATCH/help" || fail "--help failed"
opts=$(grep -oE -- '--[a-z][a-z0-9-]+' "$SCRATCH/help" | sort -u)
[ -n "$opts" ] || fail "no options found in --help"
# The man page escapes hyphens (\-); compare without backslashes.
sed 's/\\//g' "$man" >"$SCRATCH/man.txt"
missing=""
for o in $opts; do
    grep -q -- "$o" "$SCRATCH/man.txt" || missing="$missing $o(man)"
    grep -q -- "$o" "$readme" || missing="$missing $o(README)"
done
[ -z "$missing" ] || fail "options in --help but not documented:$missing"

if [ -n "${MANDOC:-}" ]; then
    "$MANDOC" -Tlint -Wwarning "$man" >"$SCRATCH/lint" 2>&1 || true
    [ ! -s "$SCRATCH/lint" ] || fail "mandoc -Tlint: $(cat "$SCRATCH/lint")"
else
    echo "mandoc not installed: lint skipped" >&2
fi

# Keys: the help screen's key list comes from the binary (--help-keys prints
# the same table the F1 screen shows); each key name must be in KEYS.
# The man page writes a backslash as \e: keep it as one for this check.
"$FANOTOP" --help-keys >"$SCRATCH/keys" || fail "--help-keys failed"
[ "$(wc -l <"$SCRATCH/keys")" -ge 20 ] || fail "--help-keys lists too few keys"
{
    sed 's/\\e/@BS@/g; s/\\//g; s/@BS@/\\/g' "$man" |
        awk '/^\.SH KEYS/,/^\.SH FILTER/' >"$SCRATCH/mankeys"
    set -f # key names such as * are not file patterns
    while IFS='	' read -r key _; do
        [ -n "$key" ] || continue
        for k in $(printf '%s\n' "$key" | tr ',' ' '); do
            grep -qF -- "$k" "$SCRATCH/mankeys" || missing="$missing $k"
        done
    done <"$SCRATCH/keys"
    set +f
    [ -z "$missing" ] || fail "keys in the help screen but not in the man page:$missing"
}
exit 0
