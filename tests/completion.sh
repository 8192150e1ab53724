# Shell completion: bash offers the options of --help, the view names, each
# view's sort columns as the binary names them, event types and groups, the
# filter fields, and completes a followed command as that command; the zsh
# completion parses.
. "$TESTS_DIR/lib.sh"

bc=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
[ -r "$bc" ] || skip "bash-completion is not installed"
command -v bash >/dev/null 2>&1 || skip "bash is not installed"
script="$top_srcdir/completion/fanotop.bash"
fixture="$TESTS_DIR/fixtures/batch.csv"

# comp LINE: what completing the end of LINE offers, one a line, sorted. The
# line is split at spaces only; bash-completion itself rejoins "--opt=" and "a:".
comp() {
    bash --norc --noprofile -c '
        . "$1" && . "$2" || exit 1
        line=$3
        COMP_LINE=$line COMP_POINT=${#line}
        read -ra COMP_WORDS <<<"$line"
        [[ $line == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMPREPLY=()
        _fanotop fanotop "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}" | sort -u' \
        _ "$bc" "$script" "$1" 2>>"$SCRATCH/comp.err"
}

# expect LINE WORD...: completing LINE offers exactly WORDs.
expect() {
    line=$1
    shift
    want=$(printf '%s\n' "$@" | sort -u)
    got=$(comp "$line")
    [ "$got" = "$want" ] ||
        fail "'$line<TAB>' offers '$(echo "$got" | tr '\n' ' ')', want '$(echo "$want" | tr '\n' ' ')'"
}

# Options: exactly the long options of --help, and "--".
"$FANOTOP" --help >"$SCRATCH/help" || fail "--help failed"
expect "fanotop --" -- $(grep -oE -- '--[a-z][a-z0-9-]+=?' "$SCRATCH/help" | sed 's/=$//' | sort -u |
    while read -r o; do
        if grep -qE -- "$o=" "$SCRATCH/help"; then echo "$o="; else echo "$o"; fi
    done)

# Views: as --help lists them (the list goes on in the lines below it that
# start no option).
views=$(awk '/--view=NAME/ { sub(/.*--view=NAME */, ""); print; more = 1; next }
    more && /^  +[a-z]/ { print; next } { more = 0 }' "$SCRATCH/help" | tr -d ,)
[ -n "$views" ] || fail "no view names in --help"
expect "fanotop -v " $views
expect "fanotop --view=" $views
expect "fanotop -v p" $(printf '%s\n' $views | grep '^p')

# Sort columns: each view's, as the binary lists them for an unknown column.
for v in $views; do
    "$FANOTOP" --replay="$fixture" --batch --no-config -v "$v" -s '?' 2>"$SCRATCH/err" &&
        fail "an unknown sort column was accepted"
    cols=$(sed -n 's/.*(columns: \(.*\))$/\1/p' "$SCRATCH/err" | tr -d ,)
    [ -n "$cols" ] || fail "no column list: $(cat "$SCRATCH/err")"
    expect "fanotop -v $v -s " $cols
    expect "fanotop --view=$v --sort=" $cols
    [ "$v" != paths ] || expect "fanotop -s " $cols # the start view
done

# Event types and groups: as --help lists them; a list completes its last item.
types=$(awk '/--events=/ { on = 1 } on && /^  -- / { on = 0 } on' "$SCRATCH/help" |
    sed 's/.*--events=LIST//; s/event types://; s/groups://' | tr ',;' '  ')
[ -n "$types" ] || fail "no event types in --help"
expect "fanotop -e " $types
expect "fanotop -e open,close_" open,close_write open,close_nowrite
expect "fanotop --events=mo" $(printf '%s\n' $types | grep '^mo')

# Filter fields: every field the filter knows, and only those.
fields=$(grep -oE '\{"[a-z]+", *FIELD_' "$top_srcdir/src/model/filter.c" | sed 's/{"\([a-z]*\)".*/\1/')
[ -n "$fields" ] || fail "no filter fields found in src/model/filter.c"
expect "fanotop -f " $(printf '%s:\n' $fields)
for f in $(comp "fanotop -f "); do
    "$FANOTOP" --replay="$fixture" --batch -f "$f" 2>"$SCRATCH/err" && fail "-f '$f' was accepted"
    grep -q "missing value after ${f%:}" "$SCRATCH/err" || fail "'$f' is no filter field: $(cat "$SCRATCH/err")"
done
expect "fanotop -f co" comm: container:
expect "fanotop -f !ex" '!exe:'
# After "type:", readline keeps the field and completes the event type.
expect "fanotop -f type:close_" close_write close_nowrite

# Files, users, pids, formats.
mkdir "$SCRATCH/cwd" && touch "$SCRATCH/cwd/capture.csv" "$SCRATCH/cwd/other.txt"
(cd "$SCRATCH/cwd" && [ "$(comp "fanotop --record ca")" = capture.csv ]) || fail "--record does not complete files"
(cd "$SCRATCH/cwd" && [ "$(comp "fanotop -r ca")" = capture.csv ]) || fail "-r does not complete files"
expect "fanotop -u roo" root
comp "fanotop -p " | grep -qx 1 || fail "-p does not offer pid 1"
expect "fanotop --format=" csv jsonl table

# After "--": the command, then that command's own completion.
comp "fanotop -f x -- ech" | grep -qx echo || fail "the command after -- is not completed"
expect "fanotop -- fanotop -v " $views

if command -v zsh >/dev/null 2>&1; then
    zsh -n "$top_srcdir/completion/_fanotop" || fail "completion/_fanotop does not parse"
else
    echo "zsh not installed: completion/_fanotop not checked"
fi
exit 0
