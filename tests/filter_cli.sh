# --filter: an invalid filter is one line on stderr in the documented format
# and exit status 2, checked before anything else (no root, no capture).
. "$TESTS_DIR/lib.sh"

expect_status 2 "$FANOTOP" --filter='('
[ "$(cat "$SCRATCH/err")" = "fanotop: invalid filter '(': missing closing parenthesis at offset 1" ] ||
    fail "--filter='(': $(cat "$SCRATCH/err")"
[ ! -s "$SCRATCH/out" ] || fail "--filter='(' wrote to stdout: $(cat "$SCRATCH/out")"

expect_status 2 "$FANOTOP" -f 'comm:nginx "my dir'
expect_err "^fanotop: invalid filter 'comm:nginx \"my dir': unterminated quote at offset 11\$"

expect_status 2 "$FANOTOP" --filter='pid:300-200' --replay=/dev/null --batch
expect_err "^fanotop: invalid filter 'pid:300-200': pid range A-B needs A <= B at offset 4\$"

expect_status 2 "$FANOTOP" --filter='comm:'
expect_err "^fanotop: invalid filter 'comm:': missing value after comm: at offset 5\$"

# The option check runs before the replay file is even opened.
expect_status 2 "$FANOTOP" --filter='x[' --replay="$SCRATCH/does-not-exist"
expect_err "invalid filter 'x\[': missing terminating \] for character class at offset 2\$"

# A valid filter passes the check: the run then fails (or not) for other reasons.
"$FANOTOP" --filter='comm:x !\.log$ pid:1-9 type:close' --replay=/dev/null --batch \
    >"$SCRATCH/out" 2>"$SCRATCH/err"
grep -q 'invalid filter' "$SCRATCH/err" && fail "valid filter rejected: $(cat "$SCRATCH/err")"
exit 0
