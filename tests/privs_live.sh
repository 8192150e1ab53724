# Least privilege: once capture runs, every thread of fanotop holds only the
# documented capabilities (chown, dac_override, dac_read_search, kill,
# sys_ptrace = 0x80027) and no_new_privs is set; the capture thread alone
# keeps sys_admin permitted (not effective), to mark filesystems mounted
# later: 0x280027.
. "$TESTS_DIR/lib.sh"
need_root

dir=$(mount_tmpfs)
"$FANOTOP" --record="$SCRATCH/out.csv" "$dir" 2>"$SCRATCH/err" &
pid=$!
at_exit "kill $pid 2>/dev/null"
# Wait until capture is up: an event on the watched tmpfs shows in the record.
for _ in $(seq 50); do
    : >"$dir/probe"
    grep -q probe "$SCRATCH/out.csv" 2>/dev/null && break
    kill -0 $pid 2>/dev/null || fail "fanotop exited: $(cat "$SCRATCH/err")"
    sleep 0.1
done
grep -q probe "$SCRATCH/out.csv" || fail "capture never started"
# ThreadSanitizer runs a thread of its own, started before main() and so
# before fanotop could drop anything: under TSan one such thread is allowed.
foreign=0
case "${SAN_CFLAGS:-}" in *thread*) foreign=1 ;; esac
threads=0
spare=0
for st in /proc/$pid/task/*/status; do
    threads=$((threads + 1))
    eff=$(awk '/^CapEff/ {print $2}' "$st")
    prm=$(awk '/^CapPrm/ {print $2}' "$st")
    bnd=$(awk '/^CapBnd/ {print $2}' "$st")
    nnp=$(awk '/^NoNewPrivs/ {print $2}' "$st")
    if [ "$eff" != 0000000000080027 ] && [ $foreign -gt 0 ]; then
        foreign=$((foreign - 1))
        threads=$((threads - 1))
        continue
    fi
    [ "$eff" = 0000000000080027 ] || fail "$st: CapEff $eff, want 0000000000080027"
    [ "$bnd" = 0000000000080027 ] || fail "$st: CapBnd $bnd, want 0000000000080027"
    [ "$nnp" = 1 ] || fail "$st: NoNewPrivs $nnp"
    case $prm in
    0000000000080027) ;;
    0000000000280027) spare=$((spare + 1)) ;;
    *) fail "$st: CapPrm $prm, want 0000000000080027 (0000000000280027 for the capture thread)" ;;
    esac
done
[ "$threads" -ge 2 ] || fail "expected a capture thread besides main, found $threads threads"
[ "$spare" = 1 ] || fail "$spare threads keep sys_admin permitted, want the capture thread alone"
kill -INT $pid
wait $pid || fail "fanotop exited $? after SIGINT"
exit 0
