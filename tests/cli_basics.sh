# Command line: --help, --version and usage errors give one clear line and exit 2.
. "$TESTS_DIR/lib.sh"

expect_status 0 "$FANOTOP" --version
grep -qE '^fanotop [0-9]+\.[0-9]+' "$SCRATCH/out" || fail "--version: $(cat "$SCRATCH/out")"

expect_status 0 "$FANOTOP" --help
grep -q -- '--record' "$SCRATCH/out" || fail "--help lacks --record"
awk 'length > 80 { bad = 1 } END { exit bad }' "$SCRATCH/out" || fail "--help wider than 80 columns"

expect_status 2 "$FANOTOP" --bogus
expect_err "^fanotop: unknown option '--bogus' \(see fanotop --help\)$"
expect_status 2 "$FANOTOP" -x
expect_err "^fanotop: unknown option '-x'"
expect_status 2 "$FANOTOP" --filter
expect_err "^fanotop: option '--filter' needs an argument"
expect_status 2 "$FANOTOP" -f
expect_err "^fanotop: option '-f' needs an argument"
expect_status 2 "$FANOTOP" --version=2
expect_err "^fanotop: option '--version' takes no argument"
expect_status 2 "$FANOTOP" -e open,nonsense
expect_err "unknown event type 'nonsense'"
expect_status 2 "$FANOTOP" --delay=abc
expect_err "--delay"
expect_status 2 "$FANOTOP" --view=nope
expect_err "unknown view 'nope'"
expect_status 2 "$FANOTOP" --record=x --batch
expect_err "cannot be combined"
expect_status 2 "$FANOTOP" --
expect_err "needs a COMMAND"
exit 0
