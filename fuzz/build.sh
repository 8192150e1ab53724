#!/bin/sh
# Build every fuzz/fuzz_*.c target with libFuzzer, ASan and UBSan.
# Usage: fuzz/build.sh BUILDDIR OUTDIR   (BUILDDIR holds config.h)
# The targets link the program's curses-free modules compiled from source.
set -eu
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:?builddir}
outdir=${2:?outdir}
cc=${CLANG:-clang}
mkdir -p "$outdir"
flags="-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
flags="$flags -I$builddir -I$srcdir/src $(pkg-config --cflags libpcre2-8)"
libs="$(pkg-config --libs libpcre2-8) -pthread -lm"
# The library's own source list (src/sources.am): no main, no curses.
core=$(sed -n '/^LIB_SOURCES *=/,/^$/p' "$srcdir/src/sources.am" | grep -oE 'src/[^ \\]+\.c' |
       sed "s|^|$srcdir/|" | tr '\n' ' ')
for t in "$srcdir"/fuzz/fuzz_*.c; do
    [ -f "$t" ] || continue
    name=$(basename "$t" .c)
    # shellcheck disable=SC2086
    $cc $flags -o "$outdir/$name" "$t" $core $libs
    echo "built $outdir/$name"
done
