"""Run a command on a new pseudo-terminal, its controlling terminal, and keep
every byte it writes there.

    pty_run.py OUT [--answer WAIT=TEXT]... -- COMMAND [ARG...]

OUT gets the bytes the terminal received (what a person would have seen,
raw). Each --answer: once WAIT has come out, TEXT (with Python's escapes:
\\n a newline, \\x03 a Ctrl-C) is typed, once. Exits with the command's
exit status.
"""
import codecs
import os
import pty
import sys


def main():
    args = sys.argv[1:]
    out = args.pop(0)
    answers = []
    while args and args[0] != "--":
        opt = args.pop(0)
        if opt != "--answer":
            sys.exit("unknown option " + opt)
        wait, _, text = args.pop(0).partition("=")
        answers.append((wait.encode(), codecs.decode(text, "unicode_escape").encode("latin-1")))
    args.pop(0)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(args[0], args)
    got = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break  # EIO: every holder of the terminal has gone
        if not chunk:
            break
        got += chunk
        for i, (wait, text) in enumerate(answers):
            if wait in got:
                os.write(fd, text)
                answers.pop(i)
                break
    _, status = os.waitpid(pid, 0)
    with open(out, "wb") as f:
        f.write(got)
    sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)


main()
