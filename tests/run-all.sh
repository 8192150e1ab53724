#!/bin/sh
# The whole test suite: the developer build (warnings are errors) with every
# test, then the same tree under ASan+UBSan and under TSan, then distcheck.
# Run from the top of the source tree, as root for the real-kernel tests.
set -eu
jobs=$(nproc 2>/dev/null || echo 2)
top=$(pwd)

step() { printf '\n==== %s\n' "$*"; }

step "bootstrap"
autoreconf -fi

build() { # build DIR CONFIGURE-ARGS...
    dir=$1
    shift
    mkdir -p "$dir"
    (cd "$dir" && "$top/configure" --enable-werror "$@" >configure.log)
}

check() { # check DIR: make check, printing the test logs of failures
    if ! make -C "$1" -j"$jobs" check; then
        for log in $(find "$1/tests" -name '*.log'); do
            if grep -qE '^(FAIL|ERROR)' "$log"; then
                echo "---- $log"
                tail -n 60 "$log"
            fi
        done
        return 1
    fi
}

step "developer build: make check"
build build
make -C build -j"$jobs"
check build

step "ASan + UBSan: make check"
build build-asan --enable-sanitizers=address,undefined
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    check build-asan

step "TSan: make check"
build build-tsan --enable-sanitizers=thread
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 check build-tsan

step "distcheck"
make -C build -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror

step "all passed"
