# A command followed as another user (-u USER) gets nothing of root's. On a
# real pseudo-terminal, in --record and --batch modes, it tries TIOCSTI on
# every descriptor and /dev/tty to type a command into root's shell: the
# shell reads only what the person types. Its environment is built for the
# user (HOME, USER, LOGNAME, SHELL, PATH as su sets them; TERM, LANG, LC_*
# kept) in every mode, nothing else of root's. What it writes reaches the
# terminal escaped (a pipe gets it byte for byte), and Ctrl-C on the
# terminal still stops it.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/scratch_user.sh"

S=$SCRATCH
PY=${PYTHON3:-python3}
dir=$(mount_tmpfs)
ptyrun() {
    "$PY" "$TESTS_DIR/pty_run.py" "$@"
}

# ---- TIOCSTI from the command ----
cat >"$S/sti.py" <<'EOF'
import fcntl, os, termios
fds = [0, 1, 2]
try:
    fds.append(os.open("/dev/tty", os.O_RDWR))
except OSError as e:
    print("no /dev/tty:", e.strerror)
for fd in fds:
    try:
        for c in b"echo INJECTED\n":
            fcntl.ioctl(fd, termios.TIOCSTI, bytes([c]))
        print("TIOCSTI went through on", fd)
    except OSError as e:
        print("TIOCSTI on", fd, ":", e.strerror)
EOF
chmod 644 "$S/sti.py"
if [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 0 ]; then
    echo "note: dev.tty.legacy_tiocsti is 0, the kernel refuses TIOCSTI anyway" >&2
fi
for mode in --record=/dev/null --batch; do
    # After fanotop, the shell reads one line: the person's MARK, unless a
    # pushed line came first.
    ptyrun "$S/sti.out" --answer 'READY=MARK\n' -- sh -c \
        "'$FANOTOP' -u '$ATTACKER' $mode -d 3600 '$dir' -- '$PY' '$S/sti.py'; echo rc=\$?; printf READY; read line; echo \"LINE:\$line\"" ||
        fail "$mode: the terminal session failed: $(cat "$S/sti.out")"
    grep -q "LINE:MARK" "$S/sti.out" ||
        fail "$mode: the command typed into root's terminal: $(cat -v "$S/sti.out")"
    grep -q "TIOCSTI went through" "$S/sti.out" &&
        fail "$mode: TIOCSTI worked: $(cat -v "$S/sti.out")"
    grep -q "rc=0" "$S/sti.out" || fail "$mode: fanotop failed: $(cat -v "$S/sti.out")"
done

# ---- the environment ----
check_env() {
    "$PY" - "$1" "$ATTACKER" "$ATTACKER_HOME" <<'EOF' || fail "$2: the command's environment: $(cat "$1")"
import sys
env = dict(l.split("=", 1) for l in open(sys.argv[1]).read().splitlines() if "=" in l)
user, home = sys.argv[2], sys.argv[3]
assert env.get("HOME") == home and env.get("USER") == user and env.get("LOGNAME") == user, env
assert env.get("SHELL") == "/bin/sh", env
want_path = "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"
for line in open("/etc/login.defs"):
    f = line.split()
    if len(f) == 2 and f[0] == "ENV_PATH":
        want_path = f[1][5:] if f[1].startswith("PATH=") else f[1]
assert env.get("PATH") == want_path, env.get("PATH")
assert env.get("TERM") == "xterm" and env.get("LANG") == "C.UTF-8", env
assert env.get("LC_MESSAGES") == "C", env
extra = [k for k in env if k not in ("HOME", "USER", "LOGNAME", "SHELL", "PATH", "TERM", "LANG")
         and not k.startswith("LC_")]
assert not extra, extra
EOF
}
roots="AWS_SECRET_ACCESS_KEY=hunter2 HOME=/root MAIL=/var/mail/root TERM=xterm LANG=C.UTF-8 LC_MESSAGES=C"
env $roots "$FANOTOP" -u "$ATTACKER" --record=/dev/null "$dir" -- env >"$S/env.record" 2>"$S/err" ||
    fail "--record with -u: $(cat "$S/err")"
check_env "$S/env.record" --record
env $roots "$FANOTOP" -u "$ATTACKER" -b -d 3600 "$dir" -- env >"$S/env.batch" 2>"$S/err" ||
    fail "--batch with -u: $(cat "$S/err")"
check_env "$S/env.batch" --batch
# The default user under sudo is the same as -u.
env $roots SUDO_UID="$ATTACKER_UID" SUDO_GID="$ATTACKER_GID" "$FANOTOP" --record=/dev/null "$dir" \
    -- env >"$S/env.sudo" 2>"$S/err" || fail "--record under sudo: $(cat "$S/err")"
grep -q "^SUDO_\|^AWS_" "$S/env.sudo" && fail "sudo's user got root's variables: $(cat "$S/env.sudo")"
check_env "$S/env.sudo" sudo
# The screen: the command writes where the user may.
. "$TESTS_DIR/ui_lib.sh"
# (python, not sh: a shell adds PWD of its own)
ui_start $roots -- -u "$ATTACKER" "$dir" -- "$PY" -c \
    "import os; open('$ATTACKER_HOME/env.ui', 'w').writelines(k + '=' + v + '\\n' for k, v in os.environ.items())"
wait_for "exited with status 0"
keys q
wait_exit 0
check_env "$ATTACKER_HOME/env.ui" screen

# ---- its output ----
cat >"$S/noisy.sh" <<'EOF'
printf '\033]0;pwned\007out\n'
printf '\033[2Jerr\n' >&2
EOF
chmod 644 "$S/noisy.sh"
ptyrun "$S/noisy.out" -- "$FANOTOP" -u "$ATTACKER" --record=/dev/null "$dir" -- sh "$S/noisy.sh" ||
    fail "the noisy command's run failed: $(cat -v "$S/noisy.out")"
LC_ALL=C grep -q "$(printf '\033')" "$S/noisy.out" &&
    fail "the command's escape sequences reached the terminal: $(cat -v "$S/noisy.out")"
grep -qF '\x1b]0;pwned\x07out' "$S/noisy.out" && grep -qF '\x1b[2Jerr' "$S/noisy.out" ||
    fail "the command's output is not shown escaped: $(cat -v "$S/noisy.out")"
# To a pipe, byte for byte (stdout to stdout, stderr to stderr).
"$FANOTOP" -u "$ATTACKER" --record=/dev/null "$dir" -- sh "$S/noisy.sh" >"$S/noisy.pipe" 2>"$S/noisy.err" ||
    fail "the noisy command's run failed: $(cat "$S/noisy.err")"
[ "$(cat "$S/noisy.pipe")" = "$(printf '\033]0;pwned\007out')" ] ||
    fail "stdout to a pipe changed: $(cat -v "$S/noisy.pipe")"
grep -q "$(printf '\033')\[2Jerr" "$S/noisy.err" || fail "stderr to a pipe changed: $(cat -v "$S/noisy.err")"

# ---- Ctrl-C on the terminal stops it (it has a session of its own) ----
ptyrun "$S/int.out" --answer 'waiting=\x03' -- "$FANOTOP" -u "$ATTACKER" --record=/dev/null \
    "$dir" -- sh -c 'echo waiting; exec sleep 600'
rc=$?
[ "$rc" = 130 ] || fail "Ctrl-C: fanotop exited $rc, want 130 (the command's SIGINT): $(cat -v "$S/int.out")"
exit 0
