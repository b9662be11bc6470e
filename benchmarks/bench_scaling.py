"""How mnistkit's fits scale with cores: wall time, CPU time and the critical path.

For each row (``default``: ``MNISTClassifier()``; ``ovr``: one-vs-rest;
``accurate``: ``mode="accurate"``; ``compare``: the main job, ``compare_models``
of the four classic models with 3 folds and a test refit) and each ``--jobs``
value, a fresh process fits on the official training set and prints:

- ``wall``: seconds of the fit (of the whole comparison for ``compare``);
- ``cpu``: processor seconds it used, all threads and worker processes together;
- ``peak GB``: the most memory the fit's process (or one of its worker
  processes) held at once;
- ``critical``: (``--jobs 1`` only) the critical path, the seconds no number of
  cores can remove. The library runs its parallel work as tasks in joblib
  calls; with one job they run one after the other, and the run records how
  long each took and the joblib calls each task made inside it. The tasks of a
  call can run at once; what a task does, its own calls included, runs in
  order: the critical path is the time outside the tasks plus, for each
  joblib call of the fit, its longest task's own critical path. Accurate mode
  fits its three members at once only with 14 threads or more (below that,
  one after the other: the sum of their paths, not the longest, bounds it), so
  its prediction holds for 14 cores or more. For ``compare`` the tasks are
  whole fits, each with the joblib calls of its model inside.

On a machine with ``C`` cores a row cannot take less than
``max(critical, cpu / C)``; the ``predicted`` column gives that bound for
``--cores`` (16 by default), scaled by how much slower or faster that
machine's cores are than this one's: the yardstick, ``StandardScaler + SVC``
on 10,000 training images (one core), took 14.0 s on the 16-core machine of
issue 24 and is timed here in the same run. For ``compare`` it is a schedule
instead, closer to what happens than the bound: ``compare_models`` runs ``W``
fits at a time with ``k`` threads each (``workers_and_threads``); each fit's
time with ``k`` threads is its recorded tasks handed, in order, to whichever
thread is free first (joblib runs the calls inside those tasks one after the
other), and the fits are handed, in ``dispatch_order``, to whichever of the
``W`` is free first. Both ignore what sharing memory and caches costs.

Usage::

    MNISTKIT_MIRROR=http://127.0.0.1:8765/ python benchmarks/bench_scaling.py
    python benchmarks/bench_scaling.py --rows accurate --jobs 1 2
    python benchmarks/bench_scaling.py --train-size 10000       # quick run

Data: ``fetch_mnist`` (the cache, ``MNISTKIT_DATA_DIR`` and ``MNISTKIT_MIRROR``
apply). Times are seconds.
"""

import argparse
import heapq
import json
import os
import platform
import resource
import subprocess
import sys
import time

import numpy as np
from bench_classifier import load  # the official split, or a stratified part of it

ROWS = {
    "default": {},
    "ovr": {"multiclass": "ovr"},
    "accurate": {"mode": "accurate"},
    "compare": None,
}
YARDSTICK_16_CORES = 14.0  # seconds, measured on the 16-core machine of issue 24


def _cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class TaskRecorder:
    """Records the tree of joblib calls of one fit with one job, and their tasks' times.

    Every joblib call goes through ``joblib.Parallel.__call__`` (scikit-learn's
    ``Parallel`` too), with its tasks as joblib's ``delayed`` makes them:
    ``(function, args, kwargs)``. The recorder wraps each task's function in a
    timer, whatever library or module made the call, and keeps the joblib calls
    each task makes inside it (accurate mode's committee fits its members in one
    call; each member fits its SVMs in calls of its own).
    """

    def __init__(self):
        self.root = {"time": 0.0, "calls": []}  # the fit, as one task
        self._stack = [self.root]

    def install(self):
        import joblib

        recorder = self
        call = joblib.Parallel.__call__

        def recorded_call(parallel, iterable):
            tasks = []
            recorder._stack[-1]["calls"].append(tasks)
            return call(parallel, ((recorder._timed(function, tasks), args, kwargs)
                                   for function, args, kwargs in iterable))

        joblib.Parallel.__call__ = recorded_call

    def _timed(self, function, tasks):
        recorder = self

        def timed(*args, **kwargs):
            task = {"calls": []}
            tasks.append(task)
            recorder._stack.append(task)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                task["time"] = time.perf_counter() - start
                recorder._stack.pop()

        return timed

    def critical_path(self, wall):
        """Seconds no number of cores can remove.

        The tasks of one joblib call may all run at once; the calls a task makes,
        and its own work between them, run one after the other. So a task's path
        is its time outside its calls plus, for each call, the longest path among
        that call's tasks.
        """
        self.root["time"] = wall

        def path(task):
            inside = sum(t["time"] for call in task["calls"] for t in call)
            return task["time"] - inside + sum(max(map(path, call)) for call in task["calls"]
                                               if call)

        return path(self.root)

    def largest_calls(self, share=0.05):
        """(tasks, seconds in all, longest task) of the joblib calls of leaf tasks that
        took at least ``share`` of the fit, in the order they ran."""
        found = []

        def visit(task):
            for call in task["calls"]:
                if call and not any(t["calls"] for t in call):
                    total = sum(t["time"] for t in call)
                    if total >= share * self.root["time"]:
                        found.append((len(call), total, max(t["time"] for t in call)))
                for inner in call:
                    visit(inner)

        visit(self.root)
        return found


def _list_schedule(durations, machines):
    """When the last of ``durations`` ends, each handed in order to whichever of
    ``machines`` is free first."""
    free = [0.0] * machines
    for duration in durations:
        heapq.heapreplace(free, free[0] + duration)
    return max(free)


def time_with_threads(task, threads):
    """A recorded task's seconds when its joblib calls may use ``threads`` threads.

    A call's tasks share the threads; the calls inside them run one after the
    other, as joblib runs nested calls. A call of one task (``cross_validate``
    of one split) runs it in the caller's thread, which passes its threads on.
    """
    inside = sum(t["time"] for call in task["calls"] for t in call)
    seconds = task["time"] - inside
    for call in task["calls"]:
        if len(call) == 1:
            seconds += time_with_threads(call[0], threads)
        elif call:
            seconds += _list_schedule([time_with_threads(t, 1) for t in call], threads)
    return seconds


def scheduled_compare(recorder, cores, comparison):
    """Seconds ``compare_models`` would take on ``cores`` cores, from a one-job run."""
    from mnistkit.evaluation import dispatch_order, workers_and_threads

    (fits,) = recorder.root["calls"]  # compare_models's one joblib call, in task order
    tasks = [(name, what) for name in comparison.names
             for what in [*(["fold"] * comparison.n_splits), "test"]]
    workers, threads = workers_and_threads(cores, comparison.n_splits + 1)
    outside = recorder.root["time"] - sum(fit["time"] for fit in fits)
    seconds = [time_with_threads(fits[i], threads) for i in dispatch_order(tasks, workers)]
    return outside + _list_schedule(seconds, workers)


def run_row(row, n_jobs, train_size, cores):
    """Fit one row in this process; return its measurements."""
    X, y, X_test, y_test = load(train_size, seed=0)
    recorder = None
    if n_jobs == 1:
        recorder = TaskRecorder()
        recorder.install()
    cpu, start = _cpu_seconds(), time.perf_counter()
    result = {}
    if row == "compare":
        from joblib.externals.loky import get_reusable_executor

        from mnistkit import compare_models

        comparison = compare_models(X, y, X_test, y_test, cv=3, n_jobs=n_jobs, random_state=0)
        # Worker processes count in RUSAGE_CHILDREN once they have exited.
        get_reusable_executor().shutdown(wait=True)
        wall = time.perf_counter() - start
        if recorder is not None:
            result["critical"] = recorder.critical_path(wall)
            result["scheduled"] = scheduled_compare(recorder, cores, comparison)
            # The same schedule for this machine, to check against its n_jobs=-1 row.
            result["scheduled_here"] = scheduled_compare(recorder, os.cpu_count(), comparison)
        result["accuracy"] = max(entry["test_accuracy"] for entry in comparison.results)
    else:
        from joblib.externals.loky import get_reusable_executor

        from mnistkit import MNISTClassifier

        model = MNISTClassifier(random_state=0, n_jobs=n_jobs, **ROWS[row]).fit(X, y)
        wall = time.perf_counter() - start
        # One-vs-rest SVMs outside accurate mode run in joblib's worker processes.
        get_reusable_executor().shutdown(wait=True)
        if recorder is not None:
            result["critical"] = recorder.critical_path(wall)
            result["largest_calls"] = recorder.largest_calls()
        result["accuracy"] = float(np.mean(model.predict(X_test) == y_test))
    # Peak resident memory of this process and of the worker processes it waited for.
    peak_kb = max(resource.getrusage(who).ru_maxrss
                  for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    result.update(wall=wall, cpu=_cpu_seconds() - cpu, peak_gb=peak_kb / 2**20)
    return result


def run_yardstick(train_size=10000):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    X, y, _, _ = load(train_size, seed=0)
    start = time.perf_counter()
    make_pipeline(StandardScaler(), SVC()).fit(X, y)
    return {"wall": time.perf_counter() - start}


def in_fresh_process(args):
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        msg = f"{' '.join(args)} failed"
        raise SystemExit(msg)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default=",".join(ROWS),
                        help=f"comma-separated, from {', '.join(ROWS)}")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, -1],
                        help="n_jobs values (-1: every core)")
    parser.add_argument("--train-size", type=int, default=None)
    parser.add_argument("--cores", type=int, default=16, help="cores of the predicted machine")
    parser.add_argument("--row", help=argparse.SUPPRESS)
    parser.add_argument("--row-jobs", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.row == "yardstick":
        print(json.dumps(run_yardstick()))
        return
    if args.row:
        print(json.dumps(run_row(args.row, args.row_jobs, args.train_size, args.cores)))
        return

    size = ["--train-size", str(args.train_size)] if args.train_size else []
    print(f"# {platform.node()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}; "
          f"training images: {args.train_size or 60000}", flush=True)
    yardstick = in_fresh_process(["--row", "yardstick"])["wall"]
    speed = YARDSTICK_16_CORES / yardstick
    print(f"# yardstick StandardScaler + SVC on 10,000 images: {yardstick:.1f} s here, "
          f"{YARDSTICK_16_CORES} s on the 16-core machine (x{speed:.2f})", flush=True)
    print(f"{'row':<10}{'n_jobs':>7}{'wall':>8}{'cpu':>8}{'critical':>10}"
          f"{'predicted':>11}{'accuracy':>10}{'peak GB':>9}")
    for row in args.rows.split(","):
        critical = None
        for n_jobs in args.jobs:
            r = in_fresh_process(["--row", row, "--row-jobs", str(n_jobs), "--cores",
                                  str(args.cores), *size])
            critical = r.get("critical", critical)
            predicted = ""
            if "scheduled" in r:
                predicted = f"{speed * r['scheduled']:.1f}"
            elif critical is not None and n_jobs == 1:
                predicted = f"{speed * max(critical, r['cpu'] / args.cores):.1f}"
            print(f"{row:<10}{n_jobs:>7}{r['wall']:>8.1f}{r['cpu']:>8.1f}"
                  f"{'' if 'critical' not in r else format(r['critical'], '.1f'):>10}"
                  f"{predicted:>11}{r['accuracy']:>10.4f}{r['peak_gb']:>9.1f}", flush=True)
            if "scheduled_here" in r:
                print(f"#   scheduled on this machine's {os.cpu_count()} cores: "
                      f"{r['scheduled_here']:.1f} s (to check against n_jobs=-1)", flush=True)
            for tasks, total, longest in r.get("largest_calls", []):
                print(f"#   a joblib call of {tasks} tasks: {total:.1f} s in all, "
                      f"the longest {longest:.1f} s", flush=True)
    print(f"# predicted: {args.cores}-core wall time >= max(critical, cpu / {args.cores}) "
          f"x {speed:.2f}, from the n_jobs=1 row; for compare, its fits scheduled on "
          f"{args.cores} cores x {speed:.2f}")


if __name__ == "__main__":
    main()
