# The Debian package: `make deb` builds it (without its tests) from the
# distribution tree; it holds the binary, the man page, the README and the
# shell completions; lintian finds no error in it.
. "$TESTS_DIR/lib.sh"

command -v dpkg-buildpackage >/dev/null 2>&1 || skip "dpkg-buildpackage not installed (dpkg-dev)"
# The package build runs this suite itself: one package build is enough.
[ -z "${DEB_RULES_REQUIRES_ROOT+set}" ] || skip "already inside a package build"
[ -z "${SAN_CFLAGS:-}" ] || skip "sanitizer build: the package is checked in the plain build"
# make distcheck runs the suite on a read-only copy of the distribution tree.
[ -n "$(find "$top_srcdir/configure.ac" -perm -u+w)" ] || skip "read-only source tree (make distcheck)"
unmet=$(cd "$top_srcdir" && dpkg-checkbuilddeps -P nocheck 2>&1) ||
    skip "package build dependencies missing: ${unmet##*: }"

version=$("$FANOTOP" --version | sed -n 's/^fanotop //p')
arch=$(dpkg --print-architecture)
out="$SCRATCH/pkg"
mkdir -p "$out"
# The test harness's make flags (-j, TESTS=...) are not the package build's.
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL DEB_BUILD_OPTIONS=nocheck \
    make -C "$top_builddir" deb distdir="$out/fanotop-$version" >"$SCRATCH/build.log" 2>&1; then
    tail -n 40 "$SCRATCH/build.log" >&2
    fail "make deb failed"
fi
deb="$out/fanotop_${version}_$arch.deb"
[ -f "$deb" ] || fail "no $deb; built: $(ls "$out")"
[ ! -e "$out/fanotop-$version" ] || fail "make deb left its copy of the tree behind"

dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$SCRATCH/files"
for f in /usr/sbin/fanotop /usr/share/man/man8/fanotop.8.gz /usr/share/doc/fanotop/copyright \
    /usr/share/bash-completion/completions/fanotop /usr/share/zsh/vendor-completions/_fanotop; do
    grep -qx -- "$f" "$SCRATCH/files" || fail "$f is not in the package: $(cat "$SCRATCH/files")"
done
grep -qxE '/usr/share/doc/fanotop/README(\.gz)?' "$SCRATCH/files" ||
    fail "the README is not in the package: $(cat "$SCRATCH/files")"

if command -v lintian >/dev/null 2>&1; then
    lintian "$deb" >"$SCRATCH/lintian" 2>&1
    cat "$SCRATCH/lintian" # the warnings, in the test's log
    ! grep -q '^E:' "$SCRATCH/lintian" || fail "lintian: $(grep '^E:' "$SCRATCH/lintian")"
else
    echo "lintian not installed: the package was not linted"
fi
exit 0
