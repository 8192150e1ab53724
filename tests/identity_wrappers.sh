# Wrappers, shims and exec chains are named by the program that did the
# access, in every scope: 50 runs each of an env-bash script that execs cat,
# of `sh -c 'exec cat FILE'` and of a pyenv-style shim chain (env-bash shim
# -> env-bash dispatcher -> env-bash command -> sh script -> cat, all one
# process), >= 99% of the events on FILE named cat with exe cat, under
# PATH, --mount, --filesystem, the whole system and a followed command.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"

dir=$(mount_tmpfs)
printf '#!/usr/bin/env bash\nexec cat "$1"\n' >"$dir/wrap"
printf '#!/usr/bin/env bash\nset -e\nexec "${0%%/*}/libexec" exec "$@"\n' >"$dir/shim"
printf '#!/usr/bin/env bash\ncmd=$1; shift\nexec "${0%%/*}/libexec-$cmd" "$@"\n' >"$dir/libexec"
printf '#!/usr/bin/env bash\nexec "${0%%/*}/inner" "$@"\n' >"$dir/libexec-exec"
printf '#!/bin/sh\nexec cat "$@"\n' >"$dir/inner"
chmod +x "$dir/wrap" "$dir/shim" "$dir/libexec" "$dir/libexec-exec" "$dir/inner"
cat >"$dir/work" <<W
#!/bin/sh
i=0
while [ \$i -lt 50 ]; do
    "$dir/wrap" "$dir/by-wrap" >/dev/null
    sh -c 'exec cat "\$1"' sh "$dir/by-sh" >/dev/null
    "$dir/shim" "$dir/by-shim" >/dev/null
    i=\$((i + 1))
done
W
chmod +x "$dir/work"
for f in by-wrap by-sh by-shim; do echo data >"$dir/$f"; done

cat=$(readlink -f "$(command -v cat)")
check() {
    for f in by-wrap by-sh by-shim; do
        "$PY" "$TESTS_DIR/capture_check.py" comm "$1" "$dir/$f" cat 99 ||
            fail "$f under $2: not named cat"
        "$PY" "$TESTS_DIR/capture_check.py" share "$1" "$dir/$f" exe "$cat" 99 ||
            fail "$f under $2: exe not $cat"
    done
}
for scope in PATH --mount --filesystem all; do
    rec="$SCRATCH/wrappers.csv"
    case $scope in
    PATH) fanotop_start "$rec" "$dir" ;;
    all) fanotop_start "$rec" ;;
    *) fanotop_start "$rec" "$scope" "$dir" ;;
    esac
    "$dir/work" || fail "workload"
    fanotop_stop
    check "$rec" "$scope"
done
rec="$SCRATCH/follow.csv"
"$FANOTOP" --record="$rec" -- "$dir/work" 2>"$SCRATCH/fanotop.err" ||
    fail "follow: $(cat "$SCRATCH/fanotop.err")"
check "$rec" "a followed command"
exit 0
