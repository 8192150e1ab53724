#!/usr/bin/env python3
"""Write a deterministic, realistic fanotop recording (record CSV) to stdout:
a web server, a resolver rewriting resolv.conf, a container writing its
volume, cron, an ssh login and a compiler build. Used for screenshots and as a
larger replay fixture."""
import csv
import sys

BASE = 1795426200  # 2026-11-23T09:30:00Z
rows = []


def ev(t, pid, tid, ppid, uid, user, comm, exe, unit, event, path):
    secs = BASE + t
    whole = int(secs)
    micro = int(round((secs - whole) * 1e6))
    import datetime
    stamp = datetime.datetime.fromtimestamp(whole, datetime.timezone.utc)
    rows.append([stamp.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % micro, pid, tid, ppid, uid,
                 user, comm, exe, unit, event, path])


t = 0.0
for i in range(240):
    t += 0.25
    page = ["index.html", "style.css", "app.js", "logo.png", "about.html"][i % 5]
    for w, pid in enumerate((2311, 2312)):
        if (i + w) % 2:
            continue
        ev(t, pid, pid, 2310, 33, "www-data", "nginx", "/usr/sbin/nginx", "nginx.service",
           "open", "/var/www/html/" + page)
        ev(t + 0.001, pid, pid, 2310, 33, "www-data", "nginx", "/usr/sbin/nginx",
           "nginx.service", "access", "/var/www/html/" + page)
        ev(t + 0.002, pid, pid, 2310, 33, "www-data", "nginx", "/usr/sbin/nginx",
           "nginx.service", "close_nowrite", "/var/www/html/" + page)
        ev(t + 0.003, pid, pid, 2310, 33, "www-data", "nginx", "/usr/sbin/nginx",
           "nginx.service", "modify", "/var/log/nginx/access.log")
    if i % 20 == 0:
        for p in ("/etc/resolv.conf", "/run/systemd/resolve/stub-resolv.conf"):
            ev(t + 0.01, 611, 611, 1, 101, "systemd-resolve", "systemd-resolve",
               "/usr/lib/systemd/systemd-resolved", "systemd-resolved.service",
               "open|modify", p)
            ev(t + 0.011, 611, 611, 1, 101, "systemd-resolve", "systemd-resolve",
               "/usr/lib/systemd/systemd-resolved", "systemd-resolved.service",
               "close_write", p)
    if i % 3 == 0:
        blob = "/var/lib/postgresql/15/main/base/16384/%d" % (2600 + i % 9)
        ev(t + 0.02, 48213, 48230, 48190, 999, "999", "postgres", "/usr/lib/postgresql/15/bin/postgres",
           "docker:4f3c2a9e81b7", "modify", blob)
        ev(t + 0.021, 48213, 48230, 48190, 999, "999", "postgres",
           "/usr/lib/postgresql/15/bin/postgres", "docker:4f3c2a9e81b7", "modify",
           "/var/lib/postgresql/15/main/pg_wal/000000010000000000000003")
    if i == 60:
        ev(t, 9120, 9120, 1, 0, "root", "cron", "/usr/sbin/cron", "cron.service", "open|access",
           "/etc/crontab")
        ev(t + 0.01, 9121, 9121, 9120, 0, "root", "logrotate", "/usr/sbin/logrotate",
           "cron.service", "open_exec", "/usr/sbin/logrotate")
        for f in ("/etc/logrotate.conf", "/etc/logrotate.d/nginx", "/var/lib/logrotate/status"):
            ev(t + 0.02, 9121, 9121, 9120, 0, "root", "logrotate", "/usr/sbin/logrotate",
               "cron.service", "open|access", f)
        ev(t + 0.03, 9121, 9121, 9120, 0, "root", "logrotate", "/usr/sbin/logrotate",
           "cron.service", "moved_from", "/var/log/nginx/access.log")
        ev(t + 0.03, 9121, 9121, 9120, 0, "root", "logrotate", "/usr/sbin/logrotate",
           "cron.service", "moved_to", "/var/log/nginx/access.log.1")
        ev(t + 0.04, 9121, 9121, 9120, 0, "root", "logrotate", "/usr/sbin/logrotate",
           "cron.service", "create", "/var/log/nginx/access.log")
    if i == 100:
        for f in ("/etc/ssh/sshd_config", "/etc/ssh/ssh_host_ed25519_key", "/etc/passwd",
                  "/etc/shadow", "/home/alice/.ssh/authorized_keys"):
            ev(t, 7001, 7001, 880, 0, "root", "sshd", "/usr/sbin/sshd", "ssh.service",
               "open|access", f)
            ev(t + 0.001, 7001, 7001, 880, 0, "root", "sshd", "/usr/sbin/sshd", "ssh.service",
               "close_nowrite", f)
    if 140 <= i < 200:
        n = i - 140
        src = "/home/alice/src/proj/src/module%02d.c" % (n % 12)
        ev(t, 8000 + n, 8000 + n, 7990, 1000, "alice", "cc1", "/usr/lib/gcc/x86_64-linux-gnu/12/cc1",
           "session-4.scope", "open_exec", "/usr/lib/gcc/x86_64-linux-gnu/12/cc1")
        for h in (src, "/usr/include/stdio.h", "/usr/include/stdlib.h",
                  "/home/alice/src/proj/include/proj.h"):
            ev(t + 0.01, 8000 + n, 8000 + n, 7990, 1000, "alice", "cc1",
               "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "session-4.scope", "open|access", h)
        ev(t + 0.02, 8000 + n, 8000 + n, 7990, 1000, "alice", "cc1",
           "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "session-4.scope", "create|modify|close_write",
           "/tmp/cc%04x.s" % n)

w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow("time,pid,tid,ppid,uid,user,comm,exe,unit,event,path".split(","))
rows.sort(key=lambda r: r[0])
w.writerows(rows)
