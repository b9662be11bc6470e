"""Choose how the SVMs of ``mode="accurate"`` split ten digits, on validation splits.

``benchmarks/search_accurate.py`` chose the committee's members; this script
compares the committee with one-vs-one members (``multiclass="ovo"``) and with
one-vs-rest members (``multiclass="ovr"``) on the same validation splits: only
the 60,000 official TRAINING images are read, each split holding out a stratified
10,000 of them (seeds ``--splits``). The test set is never touched.

Usage::

    MNISTKIT_DATA_DIR=... python benchmarks/search_accurate_multiclass.py --splits 0 1

On 2026-11-25, on a quiet 2-core machine, one-vs-rest members made 35 and 33
errors on splits 0 and 1 (one-vs-one: 37 and 38, by search_accurate.py), in
about a minute per split: ``mode="accurate"`` takes one-vs-rest members unless
``multiclass`` says otherwise.
"""

import argparse
import time

from _research import validation_split  # beside this script

from mnistkit import MNISTClassifier, fetch_mnist


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--multiclass", nargs="+", default=["ovo", "ovr"])
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args(argv)
    X, y = fetch_mnist(subset="train", return_X_y=True)
    print(f"{'multiclass':<11}" + "".join(f"  split {s} errors" for s in args.splits)
          + "  seconds per split")
    for multiclass in args.multiclass:
        errors, seconds = [], []
        for seed in args.splits:
            train, valid = validation_split(y, seed)
            X_tr, X_va, y_tr, y_va = X[train], X[valid], y[train], y[valid]
            start = time.perf_counter()
            model = MNISTClassifier(mode="accurate", multiclass=multiclass,
                                    n_jobs=args.n_jobs, random_state=0).fit(X_tr, y_tr)
            errors.append(int((model.predict(X_va) != y_va).sum()))
            seconds.append(time.perf_counter() - start)
        print(f"{multiclass:<11}" + "".join(f"  {e:>14}" for e in errors)
              + f"  {sum(seconds) / len(seconds):>17.0f}", flush=True)


if __name__ == "__main__":
    main()
