"""compare_models on one process, on local processes, and on a Dask cluster: the speed-up.

Runs the same comparison (the classic four models by default, 3-fold
cross-validation on a slice of the MNIST training set) three ways and prints
the wall-clock time of each and its speed-up over one process:

- ``n_jobs=1``: one fit at a time in this process;
- ``n_jobs=W`` (joblib's own process pool, ``W`` = ``--workers``);
- a Dask ``LocalCluster`` of ``W`` single-threaded worker processes on
  loopback, through ``joblib.parallel_config(backend="dask")``. A real cluster
  is used the same way with ``Client("scheduler-address:8786")``.

Usage::

    pip install "mnistkit[dask]"
    MNISTKIT_DATA_DIR=/work/mnist_data python benchmarks/bench_dask.py
    python benchmarks/bench_dask.py --train-size 20000 --workers 4

The scores of the three runs are checked to be the same. Times are wall-clock
seconds on the machine it runs on; the speed-up can only be as large as the
number of free cores.
"""

import argparse
import os
import time

import joblib
import numpy as np

from mnistkit import compare_models, default_models, fetch_mnist


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-size", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cv", type=int, default=3)
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster

    X, y = fetch_mnist(subset="train", return_X_y=True)
    X, y = X[: args.train_size], y[: args.train_size]
    n_fits = len(default_models()) * args.cv
    print(f"# compare_models(default_models(), {len(y):,} images, cv={args.cv}): "
          f"{n_fits} fits; {os.cpu_count()} CPUs")

    def run(n_jobs):
        start = time.perf_counter()
        comparison = compare_models(X, y, cv=args.cv, n_jobs=n_jobs, verbose=False)
        return time.perf_counter() - start, comparison

    rows = []
    rows.append(("one process (n_jobs=1)", *run(1)))
    rows.append((f"joblib processes (n_jobs={args.workers})", *run(args.workers)))
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster), joblib.parallel_config(backend="dask"):
        rows.append((f"Dask LocalCluster ({args.workers} workers)", *run(-1)))

    reference = rows[0][1]
    print(f"{'how':<36} {'seconds':>8} {'speed-up':>9}")
    for name, seconds, comparison in rows:
        for a, b in zip(rows[0][2].results, comparison.results, strict=True):
            assert np.array_equal(a["cv_accuracy"], b["cv_accuracy"]), name
        print(f"{name:<36} {seconds:8.1f} {reference / seconds:8.2f}x")


if __name__ == "__main__":
    main()
