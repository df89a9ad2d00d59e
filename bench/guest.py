#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Runs in the guest: time the loads of the benchmark's modules.

usage: guest.py CASES MODDIR K BUDGET

CASES is gen-modules' list, MODDIR holds the .ko files.  Each case runs
once to warm up, then K times, or fewer once the case has used BUDGET
seconds.  A warm-up that took longer than a second is kept as a sample:
on the base a large case costs minutes a load.  The first line on stdout
is {"clock": <the clocksource>, "release", "k", "budget_s"}, then one
JSON line per case: {"id", "kind", "n", "s", "samples_us", "cpu_us"}
(the time on the clock, and on the CPU in the loading task).  Progress
lines start with '#'.

The clock runs around the finit_module() system call alone, so process
start-up and file reading do not count: what is left is the kernel's
module load, with the klp relocations of the objects present.  Under TCG
that time comes in steps of the guest's tick (4 ms): the load waits on
the tick and on the other CPU.  The task's CPU time does not, and it is
where the klp work runs.
"""
import ctypes
import json
import os
import sys
import time

SYS_FINIT_MODULE = 313          # x86_64
SYS_DELETE_MODULE = 176
O_NONBLOCK = 0o4000
LP = "/sys/kernel/livepatch"
CLOCK = "/sys/devices/system/clocksource/clocksource0/current_clocksource"

libc = ctypes.CDLL(None, use_errno=True)


def wait_for(cond, what, limit=60.0):
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            sys.exit(f"guest.py: gave up waiting for {what}")
        time.sleep(0.02)


def load(moddir, name):
    """Load NAME.ko; return the microseconds finit_module() took: on the
    clock, and on the CPU in this task (the scheduler's count, in ns,
    which leaves out the waits: ticks, grace periods, other CPUs)."""
    fd = os.open(os.path.join(moddir, name + ".ko"), os.O_RDONLY)
    c0 = time.thread_time_ns()
    t0 = time.perf_counter_ns()
    rc = libc.syscall(SYS_FINIT_MODULE, fd, b"", 0)
    t1 = time.perf_counter_ns()
    c1 = time.thread_time_ns()
    err = ctypes.get_errno()
    os.close(fd)
    if rc != 0:
        sys.exit(f"guest.py: loading {name}: {os.strerror(err)}")
    return (t1 - t0) / 1000, (c1 - c0) / 1000


def unload(name):
    def gone():
        if libc.syscall(SYS_DELETE_MODULE, name.encode(), O_NONBLOCK) == 0:
            return True
        if ctypes.get_errno() not in (11, 16):     # EAGAIN, EBUSY
            sys.exit(f"guest.py: unloading {name}: "
                     f"{os.strerror(ctypes.get_errno())}")
        return False
    wait_for(gone, f"{name} to unload")


def settled(patch):
    def done():
        with open(f"{LP}/{patch}/transition") as f:
            return f.read().strip() == "0"
    wait_for(done, f"{patch}'s transition")


def disable(patch):
    with open(f"{LP}/{patch}/enabled", "w") as f:
        f.write("0")
    wait_for(lambda: not os.path.exists(f"{LP}/{patch}"), f"{patch} to go")


def one(kind, moddir, timed, other):
    """One timed load, and the undoing of it."""
    if kind in ("vmlinux", "floor"):
        us = load(moddir, timed)
        unload(timed)
    elif kind == "before":              # timed: the patch, other: the target
        us = load(moddir, timed)
        settled(timed)
        disable(timed)
        unload(timed)
    else:                               # timed: the target, other: the patch
        load(moddir, other)
        settled(other)
        us = load(moddir, timed)
        unload(timed)
        disable(other)
        unload(other)
    return us


def main():
    cases, moddir, k, budget = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        float(sys.argv[4])
    # Quiet console: notices and info cost serial output under TCG.
    with open("/proc/sys/kernel/printk", "w") as f:
        f.write("5")
    with open(CLOCK) as f:
        print(json.dumps({"clock": f.read().strip(),
                          "release": os.uname().release, "k": k,
                          "budget_s": budget}), flush=True)
    with open(cases) as f:
        plan = [line.split() for line in f if line.strip()]
    for cid, kind, n, s, timed, *rest in plan:
        other = rest[0] if rest else None
        if kind == "before":
            load(moddir, other)
        start = time.monotonic()
        first = one(kind, moddir, timed, other)
        samples = [first] if first[0] > 1e6 else []
        while len(samples) < k and time.monotonic() - start < budget:
            samples.append(one(kind, moddir, timed, other))
        if kind == "before":
            unload(other)
        print(f"# {cid}: {len(samples)} sample"
              f"{'' if len(samples) == 1 else 's'} in "
              f"{time.monotonic() - start:.1f} s", flush=True)
        print(json.dumps({"id": cid, "kind": kind, "n": int(n), "s": int(s),
                          "samples_us": [round(w) for w, c in samples],
                          "cpu_us": [round(c) for w, c in samples]}),
              flush=True)


if __name__ == "__main__":
    main()
