"""How mnistkit's fits scale with cores: wall time, CPU time and the critical path.

For each row (``default``: ``MNISTClassifier()``; ``ovr``: one-vs-rest;
``accurate``: ``mode="accurate"``; ``compare``: the main job, ``compare_models``
of the four classic models with 3 folds and a test refit) and each ``--jobs``
value, a fresh process fits on the official training set and prints:

- ``wall``: seconds of the fit (of the whole comparison for ``compare``);
- ``cpu``: processor seconds it used, all threads and worker processes together;
- ``critical``: (``--jobs 1`` only) the critical path, the seconds no number of
  cores can remove. The library runs its parallel work as tasks in joblib
  calls; with one job they run one after the other, and the run records how
  long each took. The critical path is the time outside the tasks plus, for
  each joblib call, its longest task. For ``compare`` the tasks are whole fits
  in worker processes, and the critical path is the longest fit plus its
  predictions.

On a machine with ``C`` cores a row cannot take less than
``max(critical, cpu / C)``; the ``predicted`` column gives that bound for
``--cores`` (16 by default), scaled by how much slower or faster that
machine's cores are than this one's: the yardstick, ``StandardScaler + SVC``
on 10,000 training images (one core), took 14.0 s on the 16-core machine of
issue 24 and is timed here in the same run.

Usage::

    MNISTKIT_MIRROR=http://127.0.0.1:8765/ python benchmarks/bench_scaling.py
    python benchmarks/bench_scaling.py --rows accurate --jobs 1 2
    python benchmarks/bench_scaling.py --train-size 10000       # quick run

Data: ``fetch_mnist`` (the cache, ``MNISTKIT_DATA_DIR`` and ``MNISTKIT_MIRROR``
apply). Times are seconds.
"""

import argparse
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
    """Records, for each joblib call, how long each of its tasks took (one job).

    Every joblib call goes through ``joblib.Parallel.__call__`` (scikit-learn's
    ``Parallel`` too), with its tasks as joblib's ``delayed`` makes them:
    ``(function, args, kwargs)``. The recorder wraps each task's function in a
    timer, whatever library or module made the call. A task that makes joblib
    calls of its own is not counted: the tasks of its calls are.
    """

    def __init__(self):
        self.calls = []  # one list of task durations per joblib call
        self._open = []
        self._started = 0  # joblib calls started so far

    def install(self):
        import joblib

        recorder = self
        call = joblib.Parallel.__call__

        def recorded_call(parallel, iterable):
            recorder._started += 1
            recorder._open.append([])
            try:
                return call(parallel, ((recorder._timed(function), args, kwargs)
                                       for function, args, kwargs in iterable))
            finally:
                recorder.calls.append(recorder._open.pop())

        joblib.Parallel.__call__ = recorded_call

    def _timed(self, function):
        recorder = self

        def timed(*args, **kwargs):
            tasks, started = recorder._open[-1], recorder._started
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                if recorder._started == started:  # no joblib call inside
                    tasks.append(time.perf_counter() - start)

        return timed

    def critical_path(self, wall):
        tasks = sum(sum(call) for call in self.calls)
        longest = sum(max(call) for call in self.calls if call)
        return wall - tasks + longest


def run_row(row, n_jobs, train_size):
    """Fit one row in this process; return its measurements."""
    X, y, X_test, y_test = load(train_size, seed=0)
    recorder = None
    if n_jobs == 1 and row != "compare":
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
        tasks = [fit + predict for entry in comparison.results
                 for fit, predict in zip([*entry["fit_time"], entry["test_fit_time"]],
                                         [*entry["predict_time"], entry["test_predict_time"]],
                                         strict=True)]
        if n_jobs == 1:
            result["critical"] = max(tasks)
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
        result["accuracy"] = float(np.mean(model.predict(X_test) == y_test))
    result.update(wall=wall, cpu=_cpu_seconds() - cpu)
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
        print(json.dumps(run_row(args.row, args.row_jobs, args.train_size)))
        return

    size = ["--train-size", str(args.train_size)] if args.train_size else []
    print(f"# {platform.node()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}; "
          f"training images: {args.train_size or 60000}", flush=True)
    yardstick = in_fresh_process(["--row", "yardstick"])["wall"]
    speed = YARDSTICK_16_CORES / yardstick
    print(f"# yardstick StandardScaler + SVC on 10,000 images: {yardstick:.1f} s here, "
          f"{YARDSTICK_16_CORES} s on the 16-core machine (x{speed:.2f})", flush=True)
    print(f"{'row':<10}{'n_jobs':>7}{'wall':>8}{'cpu':>8}{'critical':>10}"
          f"{'predicted':>11}{'accuracy':>10}")
    for row in args.rows.split(","):
        critical = None
        for n_jobs in args.jobs:
            r = in_fresh_process(["--row", row, "--row-jobs", str(n_jobs), *size])
            critical = r.get("critical", critical)
            predicted = ""
            if critical is not None and n_jobs == 1:
                predicted = f"{speed * max(critical, r['cpu'] / args.cores):.1f}"
            print(f"{row:<10}{n_jobs:>7}{r['wall']:>8.1f}{r['cpu']:>8.1f}"
                  f"{'' if 'critical' not in r else format(r['critical'], '.1f'):>10}"
                  f"{predicted:>11}{r['accuracy']:>10.4f}", flush=True)
    print(f"# predicted: {args.cores}-core wall time >= max(critical, cpu / {args.cores}) "
          f"x {speed:.2f}, from the n_jobs=1 row")


if __name__ == "__main__":
    main()
