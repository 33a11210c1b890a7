#!/usr/bin/env python3
"""Drive a real interactive bash in a pseudo-terminal and print what the terminal shows.

Usage: pty-capture.py '[["sleep 100\\r", 0.5], ["\\u001a", 0.5]]' [bash args...]
Each step is the keys to type and the seconds to wait for output after them. Used to
capture the job-control behaviour the simulated shell is held against
(job-control-captures.md)."""
import os, pty, sys, time, select, json

def run(steps, argv=('bash', '--norc', '--noprofile', '-i')):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ['PS1'] = '$ '
        os.environ['TERM'] = 'xterm'
        os.execvp(argv[0], list(argv))
    out = b''
    def drain(t):
        nonlocal out
        end = time.time() + t
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], max(0, end - time.time()))
            if r:
                try:
                    d = os.read(fd, 4096)
                except OSError:
                    return
                if not d:
                    return
                out += d
    drain(0.5)
    for keys, wait in steps:
        os.write(fd, keys.encode())
        drain(wait)
    try:
        os.kill(pid, 9)
    except Exception:
        pass
    return out.decode('utf-8', 'replace')

if __name__ == '__main__':
    steps = json.loads(sys.argv[1])
    argv = sys.argv[2:] or ('bash', '--norc', '--noprofile', '-i')
    print(run(steps, argv))
