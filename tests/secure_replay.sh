# A replay reads untrusted bytes and needs no privilege: run as root, every
# thread of fanotop holds no capability in any set (effective, permitted,
# inheritable, bounding, ambient) and has no_new_privs, in each mode; under
# sudo it has become the invoking user too. The recording itself is opened
# first, so a root-only file still replays.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/scratch_user.sh"

S=$SCRATCH
fixture="$TESTS_DIR/fixtures/batch.csv"
zero=0000000000000000

# replay_caps UID ENV... -- ARGS...: run fanotop ARGS on a recording that
# stays open (a FIFO), look at /proc while it waits for more, then end it.
replay_caps() {
    want_uid=$1
    shift
    rm -f "$S/fifo"
    mkfifo "$S/fifo"
    env "$@" --replay="$S/fifo" >/dev/null 2>"$S/replay.err" &
    pid=$!
    exec 3>"$S/fifo"
    head -n 3 "$fixture" >&3 # the header and two events: it is reading
    n=0
    until grep -q "^NoNewPrivs:.*1" /proc/$pid/status 2>/dev/null; do
        n=$((n + 1))
        [ $n -lt 200 ] || { exec 3>&-; fail "$*: no_new_privs never set: $(cat "$S/replay.err")"; }
        sleep 0.05
    done
    for st in /proc/$pid/task/*/status; do
        for cap in CapInh CapPrm CapEff CapBnd CapAmb; do
            v=$(awk -v c="$cap:" '$1 == c {print $2}' "$st")
            [ "$v" = $zero ] || { exec 3>&-; fail "$*: $st: $cap $v"; }
        done
        uids=$(awk '$1 == "Uid:" {print $2, $3, $4, $5}' "$st")
        [ "$uids" = "$want_uid $want_uid $want_uid $want_uid" ] ||
            { exec 3>&-; fail "$*: $st: Uid $uids, want $want_uid"; }
    done
    tail -n +4 "$fixture" >&3
    exec 3>&-
    wait $pid || fail "$*: fanotop exited $?: $(cat "$S/replay.err")"
}
replay_caps 0 "$FANOTOP" --record=/dev/null
replay_caps 0 "$FANOTOP" -b
replay_caps "$ATTACKER_UID" SUDO_UID="$ATTACKER_UID" SUDO_GID="$ATTACKER_GID" "$FANOTOP" -b

# The screen, in tmux.
. "$TESTS_DIR/ui_lib.sh"
ui_start -- --replay="$FIXTURES/ui_basic.csv" --no-config
wait_for "replay finished"
pid=$(ui_pid)
for cap in CapInh CapPrm CapEff CapBnd CapAmb; do
    v=$(awk -v c="$cap:" '$1 == c {print $2}' /proc/"$pid"/status)
    [ "$v" = $zero ] || fail "the screen's replay: $cap $v"
done
grep -q "^NoNewPrivs:.*1" /proc/"$pid"/status || fail "the screen's replay has no no_new_privs"
keys q
wait_exit 0

# A recording only root may read replays under sudo: opened, then dropped.
cp "$fixture" "$S/roots.csv"
chmod 600 "$S/roots.csv"
expect_status 0 env SUDO_UID="$ATTACKER_UID" SUDO_GID="$ATTACKER_GID" "$FANOTOP" \
    --replay="$S/roots.csv" --record=-
[ "$(grep -c . "$SCRATCH/out")" -gt 5 ] || fail "the root-only recording did not replay: $(cat "$SCRATCH/out")"
exit 0
