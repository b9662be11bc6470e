"""Time ``mode="accurate"``'s fit with its member trained on distorted copies started first or last.

The committee fits its members in ``n_jobs`` threads, in the order of
``ACCURATE_MEMBERS``. The member trained on the images plus their distorted
copies takes about five times as long as the others, so it is listed first: a
thread starts on it at once while the other thread fits the plain members.
This script fits ``MNISTClassifier(mode="accurate", n_jobs=2, random_state=0)``
on the 60,000 training images (the test set is not read) with that member
first, as shipped, and with it moved last, each in a fresh Python process, and
prints the fit times.

Usage::

    MNISTKIT_DATA_DIR=... python benchmarks/bench_committee_order.py
"""

import argparse
import subprocess
import sys
import time

import numpy as np

from mnistkit import MNISTClassifier, fetch_mnist
from mnistkit.classifier import _accurate


def fit_seconds(order):
    """Fit the committee with its distorted member ``order`` ("first" or "last")."""
    members = _accurate.ACCURATE_MEMBERS
    distorted = [name for name, member in members.items() if member.distorted_copies]
    plain = [name for name in members if name not in distorted]
    names = distorted + plain if order == "first" else plain + distorted
    # The committee reads this table when it is built, in fit.
    _accurate.ACCURATE_MEMBERS = {name: members[name] for name in names}
    X, y = fetch_mnist(subset="train", return_X_y=True)
    model = MNISTClassifier(mode="accurate", n_jobs=2, random_state=0)
    start = time.perf_counter()
    model.fit(np.asarray(X), np.asarray(y))
    return time.perf_counter() - start, names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--order", choices=("first", "last"),
                        help="fit one order in this process and print its time")
    args = parser.parse_args(argv)
    if args.order:
        seconds, names = fit_seconds(args.order)
        print(f"{seconds:.1f}\t{' + '.join(names)}")
        return
    print(f"# fit of MNISTClassifier(mode='accurate', n_jobs=2) on 60,000 images; "
          f"{time.strftime('%Y-%m-%d')}")
    print("| distorted member | fit s | member order |\n|---|---|---|")
    for order in ("first", "last"):
        line = subprocess.run([sys.executable, __file__, "--order", order], check=True,
                              capture_output=True, text=True).stdout.strip()
        seconds, names = line.split("\t")
        print(f"| {order} | {seconds} | {names} |", flush=True)


if __name__ == "__main__":
    main()
