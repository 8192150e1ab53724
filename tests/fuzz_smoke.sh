# Fuzz targets (filter parser, replay parser, CSV/JSON writers, event decoder)
# run for a short bounded time each; a crash fails the test. Longer runs:
# `make fuzz FUZZ_SECONDS=600`.
. "$TESTS_DIR/lib.sh"

command -v "${CLANG:-clang}" >/dev/null 2>&1 || skip "clang not installed"
[ -z "${SAN_CFLAGS:-}" ] || skip "sanitizer build: fuzzing runs in the plain build"
ls "$top_srcdir"/fuzz/fuzz_*.c >/dev/null 2>&1 || skip "no fuzz targets"
secs=${FUZZ_SECONDS:-10}
"$top_srcdir/fuzz/build.sh" "$top_builddir" "$SCRATCH/bin" >"$SCRATCH/build.log" 2>&1 ||
    fail "fuzz build failed: $(tail -20 "$SCRATCH/build.log")"
for bin in "$SCRATCH"/bin/fuzz_*; do
    name=$(basename "$bin")
    corpus="$SCRATCH/corpus-$name"
    mkdir -p "$corpus"
    seeds="$top_srcdir/fuzz/corpus/$name"
    [ -d "$seeds" ] && cp "$seeds"/* "$corpus"/ 2>/dev/null
    (cd "$SCRATCH" && "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
        "$corpus" >"$SCRATCH/$name.log" 2>&1) ||
        fail "$name crashed: $(grep -E 'ERROR|SUMMARY|Test unit written' "$SCRATCH/$name.log" | head -5)"
    echo "$name: $(grep -oE '#[0-9]+ *DONE.*' "$SCRATCH/$name.log" | head -1)"
done
exit 0
