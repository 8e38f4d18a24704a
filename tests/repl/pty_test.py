#!/usr/bin/env python3
"""Drives `aipol repl` through a pseudo-terminal, as a person would: tab
completion of a declaration name, of a record field after `.` and of a
command, recalling an entry with the up arrow, and history persisted in
~/.aipol_history.

usage: pty_test.py AIPOL_BINARY POLICY.pol
"""
import os
import pty
import select
import sys
import tempfile
import time


def read_until(fd, needle, timeout=10.0):
    data = b""
    deadline = time.time() + timeout
    while needle.encode() not in data:
        remaining = deadline - time.time()
        if remaining <= 0:
            raise AssertionError(f"timed out waiting for {needle!r}; got {data.decode(errors='replace')!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    return data.decode(errors="replace")


def main():
    aipol, policy = sys.argv[1], sys.argv[2]
    home = tempfile.mkdtemp()
    env = dict(os.environ, HOME=home, TERM="xterm", NO_COLOR="1")
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(aipol, [aipol, "repl", "-p", policy, "--as-of", "2026-11-28"], env)
    failures = []

    def expect(label, needle):
        try:
            read_until(fd, needle)
            print(f"ok   {label}")
        except AssertionError as e:
            failures.append(label)
            print(f"FAIL {label}: {e}")

    expect("prompt", "aipol> ")
    os.write(fd, b"def answer_value = 41\r")
    expect("declaration", "defined def answer_value")
    os.write(fd, b"answer_v\t")          # completes to answer_value
    os.write(fd, b" + 1\r")
    expect("completion of a name", "42 : int")
    os.write(fd, b"\x1b[A\r")             # up arrow: the same entry again
    expect("history recall", "42 : int")
    os.write(fd, b":typ\t")               # completes to :type
    os.write(fd, b" 1.5\r")
    expect("completion of a command", "number")
    os.write(fd, b"system.us\t")          # a field after `.`
    os.write(fd, b"\r")
    expect("completion of a field", "unknown : Use")
    os.write(fd, b":quit\r")
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    history = open(os.path.join(home, ".aipol_history"), errors="replace").read() if os.path.exists(
        os.path.join(home, ".aipol_history")) else ""
    if "answer_value" in history:
        print("ok   history saved")
    else:
        failures.append("history saved")
        print(f"FAIL history saved: {history!r}")
    passed = 6 - len(failures)
    print(f"{passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
