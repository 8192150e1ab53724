# The layer rules of src/ (README: Code layout), checked over its #include
# lines by tests/layers.py: first on a scratch tree with one planted
# violation of each kind, then on the real tree less tests/layers.allow.
. "$TESTS_DIR/lib.sh"

py=${PYTHON3:-python3}
command -v "$py" >/dev/null 2>&1 || skip "python3 not found"
"$py" "$TESTS_DIR/layers.py" --self-test || fail "the layer check misses planted violations"
"$py" "$TESTS_DIR/layers.py" "$top_srcdir/src" "$TESTS_DIR/layers.allow" ||
    fail "src/ breaks its layer rules (the lines above)"
