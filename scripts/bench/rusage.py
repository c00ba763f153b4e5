"""Runs one command and reports its wall time, CPU time and peak memory, for scripts/bench.js.

Node cannot read a child's resource usage, Python can: getrusage(RUSAGE_CHILDREN).ru_maxrss is the
peak resident set of the largest process among the waited-for descendants (for a shell script, its
largest `aws` call). Timing happens here, around the child only, so this wrapper's own start-up is not
counted. Usage: rusage.py TIMEOUT_SECONDS COMMAND [ARG...]; the command's stdin, stdout and stderr are
this process's; the measurement is one JSON line on file descriptor 3. CPU time is user + system of the
waited-for descendants, every thread (the tool's garbage collector and I/O threads included).
"""
import json
import os
import resource
import signal
import subprocess
import sys
import time


def main() -> int:
    timeout = float(sys.argv[1])
    command = sys.argv[2:]
    report = os.fdopen(3, "w")
    start = time.perf_counter()
    # Its own process group, so a timeout also stops whatever a script started.
    child = subprocess.Popen(command, start_new_session=True)
    timed_out = False
    try:
        code = child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(child.pid, signal.SIGKILL)
        code = child.wait()
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kib = usage.ru_maxrss  # KiB on Linux
    cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000
    report.write(json.dumps({"exitCode": code, "wallMs": wall * 1000, "cpuMs": cpu_ms, "peakRssKiB": peak_kib, "timedOut": timed_out}) + "\n")
    report.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
