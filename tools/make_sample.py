"""Rebuild the MNIST sample shipped in ``mnistkit/datasets/data``.

A maintainer's script, not part of the installed package. Run
``python tools/make_sample.py [--data-home DIR]``: it loads the
real MNIST through :func:`mnistkit.fetch_mnist` (so every file is verified
against the official SHA-256), draws 200 training and 100 test images of each
digit with a fixed seed, and writes ``mnist_sample.npz``. Images are ordered
0, 1, ..., 9, 0, 1, ... so that any ten consecutive rows show every digit. The
script prints the file's SHA-256, to be copied into ``mnistkit/datasets/_registry.py``.
"""

import argparse
import hashlib
from pathlib import Path

import numpy as np

from mnistkit import fetch_mnist

SAMPLE_PATH = Path(__file__).parents[1] / "mnistkit" / "datasets" / "data" / "mnist_sample.npz"
PER_DIGIT = {"train": 200, "test": 100}
SEED = 20261124


def draw(labels, per_digit, rng):
    """Indices of ``per_digit`` images of each digit, interleaved by digit."""
    chosen = [np.sort(rng.choice(np.flatnonzero(labels == d), per_digit, replace=False))
              for d in range(10)]
    return np.stack(chosen, axis=1).ravel()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", help="MNIST cache folder (default: mnistkit's own)")
    parser.add_argument("--output", default=SAMPLE_PATH)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(SEED)
    arrays = {}
    for subset, per_digit in PER_DIGIT.items():
        mnist = fetch_mnist(subset=subset, data_home=args.data_home)
        index = draw(mnist.target, per_digit, rng)
        arrays[f"{subset}_images"] = mnist.images[index]
        arrays[f"{subset}_labels"] = mnist.target[index].astype(np.uint8)
        arrays[f"{subset}_index"] = index.astype(np.int32)
    np.savez_compressed(args.output, **arrays)
    digest = hashlib.sha256(Path(args.output).read_bytes()).hexdigest()
    print(f"wrote {args.output} ({Path(args.output).stat().st_size:,} bytes), SHA-256 {digest}")


if __name__ == "__main__":
    main()
