#!/bin/sh
# Regenerate the screenshots from the real binary: replay the demo recording
# in a detached tmux pane, drive it with keys, capture the pane with its
# colours and render each capture to a PNG.
# usage: make.sh FANOTOP OUTDIR   (needs tmux, python3-pil, fonts-dejavu-core)
set -eu
fanotop=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
# Debian's python3 carries python3-pil; a python3 earlier on PATH may not.
python=${PYTHON3:-python3}
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
cols=120
rows=32
session=fanotop-shots-$$
work=$(mktemp -d)
trap 'tmux kill-session -t "$session" 2>/dev/null; rm -rf "$work"' EXIT

"$python" "$here/demo_recording.py" >"$work/demo.csv"

keys() { tmux send-keys -t "$session" "$@"; }

# wait_for TEXT: poll the pane until TEXT shows (the UI answers keys at once,
# but a frame may still be on its way).
wait_for() {
    i=0
    until tmux capture-pane -p -t "$session" | grep -qF -- "$1"; do
        i=$((i + 1))
        [ $i -lt 100 ] || { echo "make.sh: '$1' never showed" >&2; exit 1; }
        sleep 0.1
    done
}

shot() { # shot NAME: capture the pane as it is now into OUTDIR/NAME.png
    sleep 0.3
    tmux capture-pane -e -p -t "$session" >"$work/$1.ansi"
    "$python" "$here/ansi2png.py" "$work/$1.ansi" "$out/$1.png" $cols $rows
    echo "wrote $out/$1.png"
}

# Replayed in real time at 4x speed, so the header shows live rates; the
# recording lasts a minute, the shots are taken within its first 15 s.
tmux new-session -d -s "$session" -x $cols -y $rows \
    "env TERM=xterm-256color LANG=C.UTF-8 XDG_CONFIG_HOME=$work '$fanotop' --no-config \
     --replay='$work/demo.csv' --replay-speed=4; sleep 60"
wait_for "View: paths"
sleep 4

keys 2
wait_for "View: processes"
shot processes

keys t '*'
wait_for "View: tree"
shot tree

keys 1 Down Enter
wait_for "View: path details"
shot details

keys Escape '\' '^/(etc|var/www)/ !comm:cron' Enter
wait_for "Filter: ^/(etc|var/www)/"
shot paths-filter
