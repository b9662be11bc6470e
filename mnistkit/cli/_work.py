"""Long work on the command line: how many processes to use, and a sign of life while it runs."""

import contextlib
import os
import threading
import time

from ._data import progress

#: Memory to allow per parallel fit on the full MNIST: a fit of the default SVC
#: peaks below this (``mnistkit compare`` on 2 processes peaks at 0.9 GB in all).
MEMORY_PER_JOB = 1 << 30
#: Seconds between two "still working" lines.
HEARTBEAT_SECONDS = 30.0


def usable_cores():
    """The processor cores this process may run on (its affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _available_memory():
    """Bytes of memory free for new work, or None where the system does not say."""
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def resolve_jobs(requested, *, dataset):
    """The number of processes to use for ``--n-jobs`` (None: the default), and why.

    The default is one process per usable core, but no more than the free memory
    holds on the full MNIST (``MEMORY_PER_JOB`` each). Negative values count back
    from the number of cores as joblib does: -1 is every core, -2 all but one.
    """
    cores = usable_cores()
    if requested is None:
        jobs = cores
        memory = _available_memory()
        if dataset == "mnist" and memory is not None and memory // MEMORY_PER_JOB < jobs:
            jobs = max(1, memory // MEMORY_PER_JOB)
            return jobs, f"{jobs} of {cores} cores, as free memory allows"
        return jobs, f"all {cores} cores" if cores > 1 else "the only core"
    jobs = requested if requested > 0 else max(1, cores + 1 + requested)
    return jobs, f"--n-jobs {requested}: {jobs} of {cores} cores"


def _duration(seconds):
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


@contextlib.contextmanager
def heartbeat(args, what):
    """Print "still <what>, N s so far" every ``HEARTBEAT_SECONDS`` while the block runs.

    A fit of minutes prints nothing of its own; in a log (standard error not a
    terminal) it would look hung.
    """
    stop = threading.Event()
    start = time.perf_counter()

    def beat():
        while not stop.wait(HEARTBEAT_SECONDS):
            progress(args, f"still {what}, {_duration(time.perf_counter() - start)} so far")

    thread = threading.Thread(target=beat, name="mnistkit-heartbeat", daemon=True)
    if not getattr(args, "quiet", False):
        thread.start()
    try:
        yield
    finally:
        stop.set()
        if thread.is_alive():
            thread.join()
