"""Warm-load benchmark: fetch_mnist from a filled cache vs. decompressing the .gz by hand.

Usage::

    python benchmarks/bench_fetch.py [--data-home DIR] [--repeat 5]

The cache must already hold MNIST (run ``mnistkit fetch`` first, or point
``MNISTKIT_MIRROR`` at a mirror). For the hand-made baseline the script writes
the four ``.gz`` archives into a temporary folder once, then times
``gzip.decompress`` + ``numpy.frombuffer``, the way a notebook would load them.
Prints a table with the best time of each, and their ratio.
"""

import argparse
import gzip
import os
import tempfile
import time

import numpy as np

from mnistkit import fetch_mnist, get_data_home

# MNIST's four files, by the official names a data_home folder holds them under (the
# data guide, "Where the data is cached"); a filled cache holds them decompressed.
FILES = {
    "train-images": "train-images-idx3-ubyte",
    "train-labels": "train-labels-idx1-ubyte",
    "test-images": "t10k-images-idx3-ubyte",
    "test-labels": "t10k-labels-idx1-ubyte",
}


def best_of(repeat, func):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def load_gz_by_hand(folder):
    arrays = {}
    for key, name in FILES.items():
        with open(os.path.join(folder, name + ".gz"), "rb") as f:
            raw = gzip.decompress(f.read())
        offset = 16 if "images" in key else 8
        arrays[key] = np.frombuffer(raw, np.uint8, offset=offset)
    return np.concatenate([arrays["train-images"], arrays["test-images"]]).reshape(-1, 784)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    home = get_data_home(args.data_home)
    fetch_mnist(subset="all", data_home=home, download_if_missing=False)  # must be warm
    with tempfile.TemporaryDirectory() as tmp:
        for name in FILES.values():
            with open(os.path.join(home, name), "rb") as fin:
                payload = fin.read()
            with gzip.open(os.path.join(tmp, name + ".gz"), "wb") as fout:
                fout.write(payload)
        by_hand = best_of(args.repeat, lambda: load_gz_by_hand(tmp))
    warm = best_of(
        args.repeat,
        lambda: fetch_mnist(subset="all", data_home=home, download_if_missing=False),
    )
    print(f"{'load of all 70,000 images':<48} {'best of ' + str(args.repeat):>12}")
    print(f"{'fetch_mnist(subset=all), warm, SHA-256 verified':<48} {warm:>10.3f} s")
    print(f"{'gzip.decompress + np.frombuffer, no verification':<48} {by_hand:>10.3f} s")
    print(f"{'ratio (by hand / fetch_mnist)':<48} {by_hand / warm:>10.1f} x")


if __name__ == "__main__":
    main()
