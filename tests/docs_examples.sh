# Every example command of the README, the man page and --help runs as
# written: each is read out of the documentation and run on a replay
# fixture (tests/fixtures/examples.csv) that holds what the examples look
# for. What needs the kernel is stood in for by the recording: a PATH
# becomes a path: term of the filter (--replay takes no PATH), the followed
# COMMAND after -- is dropped, "ssh host" runs here, and the screen becomes
# --batch. Each must exit 0, and each that filters must show a row; the
# flagship "who keeps rewriting this file?" must show sed's rename and not
# the readers. The filter examples of the man page are run the same way.
. "$TESTS_DIR/lib.sh"

fixture="$TESTS_DIR/fixtures/examples.csv"
man="$top_srcdir/man/fanotop.8"
readme="$top_srcdir/README"
cd "$SCRATCH" || fail "cannot cd to $SCRATCH"

# The man page writes - as \- and a backslash as \e.
unman() {
    sed 's/\\-/-/g; s/\\e/\\/g'
}

{
    grep -E '^    (ssh host )?fanotop ' "$readme" | sed 's/^    //'
    grep -E '^\.B "(ssh host )?fanotop ' "$man" | sed 's/^\.B "//; s/"$//' | unman
    "$FANOTOP" --help | sed -n '/^Examples:/,$p' | grep -E '^  fanotop ' | sed 's/^  //'
} | sort -u >"$SCRATCH/examples"
[ "$(wc -l <"$SCRATCH/examples")" -ge 6 ] || fail "too few examples found: $(cat "$SCRATCH/examples")"
grep -qF "fanotop -f 'type:write' /etc/resolv.conf" "$SCRATCH/examples" ||
    fail "the flagship example is gone: $(cat "$SCRATCH/examples")"

_q() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# A path as an anchored regex of itself and what is under it.
path_term() {
    printf 'path:^%s(/|$)' "$(printf '%s' "$1" | sed 's/[].[\*^$()+?{|]/\\&/g')"
}

# rewrite STAGE: one command of a pipeline as it runs here, into $cmd;
# $filtered says whether it narrows the view (then a row must show).
rewrite() {
    eval "set -- $1"
    if [ "$1" = ssh ]; then
        shift 2 # the remote side runs here
    fi
    [ "$1" = fanotop ] || fail "not a fanotop command: $*"
    shift
    cmd=$(_q "$FANOTOP")
    filter="" paths="" replay=no screen=yes filtered=no
    while [ $# -gt 0 ]; do
        a=$1
        shift
        case $a in
        --) break ;; # the followed command: the recording stands in for it
        -f | -v | -s | -e | -d | -u | -p | -r | -n)
            [ $# -gt 0 ] || fail "$a without its argument"
            a="$a=$1"
            shift
            ;;
        esac
        case $a in
        -f=* | --filter=*)
            filter="$filter ${a#*=}"
            filtered=yes
            ;;
        -u=* | --user=* | -p=* | --pid=*) ;; # following processes needs the kernel
        -r=* | --replay=*)
            replay=yes
            v=${a#*=}
            [ "$v" = - ] && cmd="$cmd --replay=-" || cmd="$cmd $(_q "--replay=$fixture")"
            ;;
        --record=* | -b | --batch)
            screen=no
            cmd="$cmd $(_q "$a")"
            ;;
        --*) cmd="$cmd $(_q "$a")" ;;
        -?=*) cmd="$cmd $(_q "${a%%=*}") $(_q "${a#*=}")" ;; # joined above
        -*) cmd="$cmd $(_q "$a")" ;;
        *)
            paths="$paths|$a"
            filtered=yes
            ;;
        esac
    done
    if [ -n "$paths" ]; then
        terms=""
        old_ifs=$IFS
        IFS='|'
        for p in ${paths#|}; do
            terms="$terms${terms:+|}$(path_term "$p" | sed 's/^path://')"
        done
        IFS=$old_ifs
        filter="$filter path:$terms"
    fi
    [ -n "$filter" ] && cmd="$cmd $(_q "--filter=${filter# }")"
    [ $replay = yes ] || cmd="$cmd $(_q "--replay=$fixture")"
    [ $screen = yes ] && cmd="$cmd --batch"
    return 0
}

n=0
while IFS= read -r example; do
    n=$((n + 1))
    in=/dev/null
    rest=$example
    while :; do
        stage=${rest%% | *}
        rewrite "$stage"
        sh -c "$cmd" <"$in" >"$SCRATCH/out.$n" 2>"$SCRATCH/err.$n" ||
            fail "'$example' ($cmd) exited $?: $(cat "$SCRATCH/err.$n")"
        grep -q 'invalid filter' "$SCRATCH/err.$n" && fail "'$example': $(cat "$SCRATCH/err.$n")"
        [ "$stage" = "$rest" ] && break
        rest=${rest#* | }
        cp "$SCRATCH/out.$n" "$SCRATCH/in.$n"
        in="$SCRATCH/in.$n"
    done
    # A table: the column header on line 4, rows after it (a filter that
    # selects nothing would leave none).
    case $cmd in *--batch*)
        [ "$(sed -n '5,$p' "$SCRATCH/out.$n" | grep -c .)" -ge 1 ] ||
            fail "'$example' (filtered: $filtered) shows no row: $(cat "$SCRATCH/out.$n")"
        ;;
    esac
    case $example in
    "fanotop -f 'type:write' /etc/resolv.conf")
        # sed's rename is the write; the resolver's reads are not counted
        row=$(grep '^/etc/resolv.conf ' "$SCRATCH/out.$n") ||
            fail "no /etc/resolv.conf row: $(cat "$SCRATCH/out.$n")"
        [ "$(echo "$row" | awk '{print $2}')" = 1 ] || fail "resolv.conf events: $row"
        col=$(sed -n 4p "$SCRATCH/out.$n" | tr -s ' ' '\n' | grep -n '^moved_to$' | cut -d: -f1)
        [ "$(echo "$row" | awk -v c="$col" '{print $c}')" = 1 ] || fail "no moved_to: $row"
        col=$(sed -n 4p "$SCRATCH/out.$n" | tr -s ' ' '\n' | grep -n '^open$' | cut -d: -f1)
        [ "$(echo "$row" | awk -v c="$col" '{print $c}')" = 0 ] || fail "readers counted: $row"
        ;;
    "fanotop --record=build.csv -- make -j2")
        [ "$(wc -l <"$SCRATCH/build.csv")" = "$(wc -l <"$fixture")" ] ||
            fail "build.csv: $(wc -l <"$SCRATCH/build.csv") lines"
        ;;
    esac
done <"$SCRATCH/examples"

# The filter examples of the man page.
sed -n '/^\.SH FILTER LANGUAGE/,/^\.SH VIEWS/p' "$man" | sed -n '/^Examples:/,$p' |
    grep -E '^\.B "' | sed 's/^\.B "//; s/"$//' | unman >"$SCRATCH/filters"
[ "$(wc -l <"$SCRATCH/filters")" -ge 3 ] || fail "too few filter examples: $(cat "$SCRATCH/filters")"
while IFS= read -r expr; do
    "$FANOTOP" --replay="$fixture" --batch -f "$expr" >"$SCRATCH/out" 2>"$SCRATCH/err" ||
        fail "filter example '$expr' exited $?: $(cat "$SCRATCH/err")"
    [ "$(sed -n '5,$p' "$SCRATCH/out" | grep -c .)" -ge 1 ] ||
        fail "filter example '$expr' selects nothing: $(cat "$SCRATCH/out")"
done <"$SCRATCH/filters"
echo "ran $n example commands and $(wc -l <"$SCRATCH/filters") filter examples" >&2
exit 0
