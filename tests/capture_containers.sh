# Containers, without a container runtime: the runtimes' state files laid
# out under a scratch root (FANOTOP_STATE_ROOT), cgroup v2 scopes named as
# each runtime names them, and processes moved into them. Each event names
# its container by the runtime's name (docker, podman, Kubernetes pod,
# systemd-nspawn, LXC), the short id where the state has no name, the
# host's container where a nested cgroup claims another; a process in its
# own mount namespace with an overlay root (chroot) has, beside each host
# path, the path it used. Replay, the containers view and container: see
# the same.
. "$TESTS_DIR/lib.sh"
need_root
. "$TESTS_DIR/capture_common.sh"
command -v unshare >/dev/null 2>&1 || skip "unshare not installed"
command -v ldd >/dev/null 2>&1 || skip "ldd not installed"

# cgroup v2, wherever it is mounted (/sys/fs/cgroup, or .../unified in hybrid mode).
cg2=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' \
    /proc/self/mountinfo | head -n 1)
[ -n "$cg2" ] || skip "no cgroup v2 hierarchy mounted"
base="$cg2/fanotop-test-$$.slice"
mkdir "$base" 2>/dev/null || skip "cannot make cgroups under $cg2"
# Removed deepest first, once the processes in them are gone.
at_exit "find '$base' -depth -type d -exec rmdir {} + 2>/dev/null"

DID=9fed73027329d8e1c0ffee00ba5eba11deadbeef0123456789abcdef01234567
PID64=4f3c2a9e81b7aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55
KID=2a70daa18d02bb66bb66bb66bb66bb66bb66bb66bb66bb66bb66bb66bb66bb66
NONAME=77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa
POD=0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f
POD_=$(echo "$POD" | tr - _)

# ---- the runtimes' state, as they write it ----
state="$SCRATCH/state"
mkdir -p "$state/var/lib/docker/containers/$DID" \
    "$state/var/lib/containers/storage/overlay-containers" \
    "$state/var/log/pods/default_api-7d9f_$POD/api" "$state/var/log/pods/other_x_1234"
printf '{"StreamConfig":{},"State":{"Running":true,"Pid":4242},"ID":"%s","Path":"nginx",'\
'"Config":{"Hostname":"9fed73027329","Labels":{}},"MountPoints":{"/data":{"Name":"vol",'\
'"Destination":"/data"}},"HostConfig":{"RestartPolicy":{"Name":"no"}},"Name":"/web-1",'\
'"Driver":"overlay2"}\n' "$DID" >"$state/var/lib/docker/containers/$DID/config.v2.json"
printf '[{"id":"%s","names":["db"],"image":"e5f6","layer":"0718","metadata":"{\\"name\\":\\"db\\"}",'\
'"created":"2026-11-22T10:00:01Z","flags":{"MountLabel":""}}]\n' "$PID64" \
    >"$state/var/lib/containers/storage/overlay-containers/containers.json"

# ---- the cgroups ----
mkdir -p "$base/docker-$DID.scope/docker-$NONAME.scope" "$base/libpod-$PID64.scope" \
    "$base/kubepods-burstable-pod$POD_.slice/cri-containerd-$KID.scope" \
    "$base/machine-my\\x2dbox.scope" "$base/lxc.payload.u1" "$base/docker-$NONAME.scope" \
    "$base/plain.scope" || fail "cannot make the test cgroups"

dir=$(mount_tmpfs)
# An overlay root for the namespaced process: a shell and cat with their
# libraries in the lower layer; upper and work beside it; a volume.
lower="$dir/lower"
mkdir -p "$lower/bin" "$lower/data" "$dir/upper" "$dir/work" "$dir/merged" "$dir/vol" "$lower/data2"
for bin in /bin/sh /bin/cat; do
    cp "$(readlink -f $bin)" "$lower/bin/$(basename $bin)"
    for lib in $(ldd "$bin" | grep -oE '/[^ ]+'); do
        mkdir -p "$lower$(dirname "$lib")"
        cp -L "$lib" "$lower$lib"
    done
done
echo old >"$lower/data/old"

rec="$SCRATCH/containers.csv"
FANOTOP_STATE_ROOT=$state fanotop_start "$rec" "$dir"

# recorded PATTERN: wait (10 s at most) until the record holds PATTERN.
recorded() {
    i=0
    until grep -qF "$1" "$rec" || [ $i -ge 200 ]; do
        sleep 0.05
        i=$((i + 1))
    done
}

# run_in CGROUP FILE: a shell moved into CGROUP execs the one that writes
# FILE (as a runtime starts a container: a cgroup move is named from the
# next exec on, within half a second otherwise), which stays until the
# event is recorded: a process is named from /proc while it lives.
cat >"$SCRATCH/writer.sh" <<'EOF'
echo x >"$1" || exit 1
i=0
until grep -qF "$1," "$2" || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
EOF
run_in() {
    sh -c 'echo $$ >"$1/cgroup.procs" && exec sh "$2" "$3" "$4"' \
        sh "$base/$1" "$SCRATCH/writer.sh" "$dir/$2" "$rec" || fail "cannot run in cgroup $1"
}
run_in "docker-$DID.scope" docker-file
run_in "libpod-$PID64.scope" podman-file
run_in "kubepods-burstable-pod$POD_.slice/cri-containerd-$KID.scope" k8s-file
run_in "machine-my\\x2dbox.scope" nspawn-file
run_in lxc.payload.u1 lxc-file
run_in "docker-$NONAME.scope" noname-file
run_in "docker-$DID.scope/docker-$NONAME.scope" nested-file
run_in plain.scope plain-file

# The namespaced process, in web-1's cgroup: its own mount and pid
# namespace, the overlay, a volume bind-mounted in, a chroot into it. It
# waits on a FIFO until its events are recorded.
mkfifo "$dir/vol/go"
sh -c 'echo $$ >"$1/cgroup.procs" && exec unshare -m -p --fork sh -c "$2"' sh \
    "$base/docker-$DID.scope" "
    mount --make-rprivate / &&
    mount -t overlay ovl -o lowerdir=$lower,upperdir=$dir/upper,workdir=$dir/work $dir/merged &&
    mount --bind $dir/vol $dir/merged/data2 &&
    exec chroot $dir/merged /bin/sh -c 'echo new >/data/new; cat /data/old >/data2/copy; read x </data2/go'" &
nspid=$!
recorded "$dir/upper/data/new,"
recorded "$dir/vol/copy,"
echo go >"$dir/vol/go"
wait $nspid || fail "the namespaced process failed"
fanotop_stop

"$PY" - "$rec" "$dir" "$DID" "$NONAME" <<'EOF' || fail "containers or container paths wrong"
import csv, sys
rec, d, did, noname = sys.argv[1:]
rows = list(csv.DictReader(open(rec, newline="", encoding="utf-8", errors="surrogateescape")))
assert rows and list(rows[0])[-2:] == ["container", "cpath"], list(rows[0])
def one(path, event="close_write", **want):
    hits = [r for r in rows if r["path"] == path and event in r["event"].split("|")]
    assert hits, "no %s of %s: %r" % (event, path, [(r["path"], r["event"]) for r in rows])
    for r in hits:
        for k, v in want.items():
            assert r[k] == v, "%s: %s is %r, want %r" % (path, k, r[k], v)
one(d + "/docker-file", container="docker:web-1", unit="docker:" + did[:12], cpath="")
one(d + "/podman-file", container="podman:db")
one(d + "/k8s-file", container="k8s:default/api-7d9f", unit="k8s:2a70daa18d02")
one(d + "/nspawn-file", container="nspawn:my-box")
one(d + "/lxc-file", container="lxc:u1", unit="lxc:u1")
one(d + "/noname-file", container="docker:" + noname[:12])
# A cgroup made inside web-1 that names another container: still web-1.
one(d + "/nested-file", container="docker:web-1", unit="docker:" + noname[:12])
one(d + "/plain-file", container="", cpath="")
# Both paths of every event of the namespaced process.
one(d + "/upper/data/new", container="docker:web-1", cpath="/data/new")
one(d + "/vol/copy", container="docker:web-1", cpath="/data2/copy")
one(d + "/vol/copy", "modify", container="docker:web-1", cpath="/data2/copy", comm="cat")
reads = [r for r in rows if r["path"] == d + "/lower/data/old" and r["comm"] == "cat"]
assert reads and all(r["cpath"] == "/data/old" for r in reads), reads
execs = [r for r in rows if "open_exec" in r["event"] and r["path"] == d + "/lower/bin/cat"]
assert execs and all(r["cpath"] == "/bin/cat" for r in execs), execs
# The overlay's own work files are not visible inside: "?".
work = [r for r in rows if r["path"].startswith(d + "/work/") and r["comm"] == "sh"]
assert all(r["cpath"] == "?" for r in work), work
# Outside namespaces and chroots, no second path.
outside = [r for r in rows if r["path"].endswith("-file")]
assert outside and all(r["cpath"] == "" for r in outside), outside
EOF

# Replay: the containers view totals them by name; container: takes a name
# or an id; JSON Lines carries the same fields.
"$FANOTOP" --replay="$rec" --batch --format=csv -n 1 -v containers >"$SCRATCH/view.csv" 2>&1 ||
    fail "containers view: $(cat "$SCRATCH/view.csv")"
head -n 1 "$SCRATCH/view.csv" | grep -qx 'container,unit,events,procs,files,last,rate' ||
    fail "containers view header: $(head -n 1 "$SCRATCH/view.csv")"
grep -q "^docker:web-1,docker:9fed73027329," "$SCRATCH/view.csv" || fail "no web-1 row: $(cat "$SCRATCH/view.csv")"
grep -q "^k8s:default/api-7d9f,k8s:2a70daa18d02," "$SCRATCH/view.csv" || fail "no pod row"
grep -q "^,\|^plain" "$SCRATCH/view.csv" && fail "a row outside containers: $(cat "$SCRATCH/view.csv")"
"$FANOTOP" --replay="$rec" --record="$SCRATCH/web.csv" -f 'container:web-1' 2>/dev/null ||
    fail "container: filter failed"
# (Process lines, the ancestors of what it kept, have no event and no path.)
n=$(tail -n +2 "$SCRATCH/web.csv" | grep -v ',,,[^,]*,[^,]*,[^,]*$' |
    grep -vc ',docker:web-1,[^,]*$' || true)
[ "$n" = 0 ] || fail "container:web-1 kept other containers' events: $(cat "$SCRATCH/web.csv")"
grep -q '/upper/data/new,[^,]*,docker:web-1,/data/new$' "$SCRATCH/web.csv" || fail "web-1's events missing"
"$FANOTOP" --replay="$rec" --batch --format=csv -n 1 -v events >"$SCRATCH/events.csv" 2>&1 ||
    fail "events view failed"
grep -q ',/data/new,[^,]*/upper/data/new$' "$SCRATCH/events.csv" ||
    fail "events view: no cpath column: $(cat "$SCRATCH/events.csv")"
"$FANOTOP" --replay="$rec" --batch --format=csv -n 1 -v events -f "container:^lxc:u1\$|${KID%${KID#????????????}}" \
    >"$SCRATCH/ids.csv" 2>&1 || fail "container: by id failed"
cut -d, -f6 "$SCRATCH/ids.csv" | tail -n +2 | sort -u | tr '\n' ' ' | grep -qx 'k8s:2a70daa18d02 lxc:u1 ' ||
    fail "container: by name or id: $(cat "$SCRATCH/ids.csv")"
"$FANOTOP" --replay="$rec" --record="$SCRATCH/c.jsonl" --format=jsonl 2>/dev/null ||
    fail "CSV -> JSONL failed"
grep -q '"container":"docker:web-1","cpath":"/data/new"}' "$SCRATCH/c.jsonl" ||
    fail "JSONL lacks container or cpath"
exit 0
