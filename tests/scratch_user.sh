# A scratch unprivileged user for the security tests, made here and removed
# at exit (source after lib.sh, as root): $ATTACKER, $ATTACKER_UID, and its
# home $ATTACKER_HOME (an empty directory of its own).
command -v useradd >/dev/null 2>&1 || skip "useradd is not installed"
ATTACKER="fnt$$"
ATTACKER_HOME="$SCRATCH/home-$ATTACKER"
useradd -M -d "$ATTACKER_HOME" -s /bin/sh "$ATTACKER" || fail "cannot add a scratch user"
at_exit "userdel '$ATTACKER' 2>/dev/null"
ATTACKER_UID=$(id -u "$ATTACKER")
ATTACKER_GID=$(id -g "$ATTACKER")
mkdir -p "$ATTACKER_HOME"
chown "$ATTACKER:" "$ATTACKER_HOME"
# The scratch directory is root's 0700: let the user through to its home.
chmod 711 "$SCRATCH"

# $AS_ATTACKER CMD...: run CMD as the scratch user (setpriv execs CMD, so
# "$AS_ATTACKER CMD &" leaves CMD's own pid in $!).
AS_ATTACKER="setpriv --reuid=$ATTACKER_UID --regid=$ATTACKER_GID --clear-groups --"
as_attacker() {
    $AS_ATTACKER "$@"
}
